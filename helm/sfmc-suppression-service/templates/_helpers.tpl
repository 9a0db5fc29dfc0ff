{{/* Name of the chart, overridable. */}}
{{- define "sfmc.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Full name: the release name when it already contains the chart name. */}}
{{- define "sfmc.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "sfmc.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels every object carries. */}}
{{- define "sfmc.labels" -}}
helm.sh/chart: {{ include "sfmc.chart" . }}
{{ include "sfmc.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: sfmc-suppression-service
{{- end -}}

{{- define "sfmc.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sfmc.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Selector of the service pods (not the CronJob's). */}}
{{- define "sfmc.apiSelectorLabels" -}}
{{ include "sfmc.selectorLabels" . }}
app.kubernetes.io/component: api
{{- end -}}

{{- define "sfmc.cronjobSelectorLabels" -}}
{{ include "sfmc.selectorLabels" . }}
app.kubernetes.io/component: complete-idle
{{- end -}}

{{- define "sfmc.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "sfmc.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "sfmc.appSecretName" -}}
{{- default (include "sfmc.fullname" .) .Values.secrets.app -}}
{{- end -}}

{{- define "sfmc.cronjobSecretName" -}}
{{- default (printf "%s-cronjob" (include "sfmc.fullname" .)) .Values.secrets.cronjob -}}
{{- end -}}

{{- define "sfmc.pvcName" -}}
{{- default (printf "%s-deliverables" (include "sfmc.fullname" .)) .Values.persistence.existingClaim -}}
{{- end -}}

{{/* The container port: the application listens on 8080 (quarkus.http.port). */}}
{{- define "sfmc.containerPort" -}}8080{{- end -}}
