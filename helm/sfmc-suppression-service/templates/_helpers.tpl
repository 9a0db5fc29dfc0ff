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

{{/* The container port: the application listens on 8080 (quarkus.http.port) for /api and /console. */}}
{{- define "sfmc.containerPort" -}}8080{{- end -}}

{{/* The management port: health and metrics (quarkus.management.port). */}}
{{- define "sfmc.managementPort" -}}9000{{- end -}}

{{/* An image reference: [registry/]repository, then @digest or :tag. */}}
{{- define "sfmc.image" -}}
{{- $repo := .image.repository -}}
{{- with .image.registry }}{{ $repo = printf "%s/%s" . $repo }}{{ end -}}
{{- if .image.digest -}}
{{- printf "%s@%s" $repo .image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repo (.image.tag | default .default) -}}
{{- end -}}
{{- end -}}

{{/* Seconds of an ISO-8601 duration such as PT15M or P1DT2H (days, hours, minutes, seconds). */}}
{{- define "sfmc.isoSeconds" -}}
{{- $parts := splitList "T" (trimPrefix "P" .) -}}
{{- $days := regexFind "[0-9]+D" (index $parts 0) | trimSuffix "D" | default "0" | int -}}
{{- $time := "" -}}
{{- if gt (len $parts) 1 }}{{ $time = index $parts 1 }}{{ end -}}
{{- $h := regexFind "[0-9]+H" $time | trimSuffix "H" | default "0" | int -}}
{{- $m := regexFind "[0-9]+M" $time | trimSuffix "M" | default "0" | int -}}
{{- $s := regexFind "[0-9.]+S" $time | trimSuffix "S" | default "0" | float64 | ceil | int -}}
{{- add (mul $days 86400) (mul $h 3600) (mul $m 60) $s -}}
{{- end -}}

{{/* The claim's access modes (of the created PVC, or as declared for an existing claim). */}}
{{- define "sfmc.rwx" -}}
{{- if and .Values.persistence.enabled (has "ReadWriteMany" .Values.persistence.accessModes) -}}true{{- end -}}
{{- end -}}

{{/* The most pods the Deployment can have at once (the HPA's maximum when it owns the replicas). */}}
{{- define "sfmc.maxReplicas" -}}
{{- if .Values.autoscaling.enabled -}}{{ .Values.autoscaling.maxReplicas }}{{- else -}}{{ .Values.replicaCount }}{{- end -}}
{{- end -}}

{{/* The fewest pods the Deployment runs (the HPA's minimum when it owns the replicas). */}}
{{- define "sfmc.minReplicas" -}}
{{- if .Values.autoscaling.enabled -}}{{ .Values.autoscaling.minReplicas }}{{- else -}}{{ .Values.replicaCount }}{{- end -}}
{{- end -}}

{{/*
Environment variables the chart sets itself, as explicit `env:` entries: a variable in `env` wins
over every `envFrom` source (the ConfigMap and the Secrets), and `extraEnv` / `config.extraEnv`
may not name them (sfmc.validate). Without them a stray QUARKUS_PROFILE in a Secret or in extra
variables would switch the pods to H2 or another directory.
*/}}
{{- define "sfmc.reservedEnv" -}}
QUARKUS_PROFILE QUARKUS_DATASOURCE_H2_ACTIVE QUARKUS_DATASOURCE_PG_ACTIVE DELIVERABLES_DIR QUARKUS_SHUTDOWN_TIMEOUT QUARKUS_DATASOURCE_PG_JDBC_ACQUISITION_TIMEOUT JAVA_MAX_MEM_RATIO
{{- end -}}

{{/* Label matchers that scope the alert rules and the dashboard to this release's series. */}}
{{- define "sfmc.metricsSelector" -}}
{{- .Values.metrics.prometheusRule.selector | default (printf "namespace=\"%s\",job=\"%s\"" .Release.Namespace (include "sfmc.fullname" .)) -}}
{{- end -}}
