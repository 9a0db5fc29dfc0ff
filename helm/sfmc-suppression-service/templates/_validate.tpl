{{/*
Combinations that render valid YAML but cannot work on a cluster. Each one is a `fail` at
`helm install`/`helm template` time instead of a Pending pod, a blocked drain or a rollout that
waits for ever. Included once, from deployment.yaml.
*/}}
{{- define "sfmc.validate" -}}
{{- $v := .Values -}}
{{- $max := include "sfmc.maxReplicas" . | int -}}
{{- $min := include "sfmc.minReplicas" . | int -}}
{{- $rwx := include "sfmc.rwx" . -}}
{{- $p := $v.persistence -}}

{{- /* Storage that schedules on managed clouds */ -}}
{{- if and $p.enabled (has "ReadWriteMany" $p.accessModes) (not $p.storageClassName) (not $p.existingClaim) -}}
{{- fail "persistence: a ReadWriteMany claim needs persistence.storageClassName or persistence.existingClaim. The default storage classes of EKS (gp2/gp3, EBS), GKE (standard-rwo, Persistent Disk) and AKS (managed-csi, Azure Disk) offer no ReadWriteMany, so the pods would stay Pending. Choose an RWX class: EKS 'efs-sc' (EFS CSI driver), GKE 'standard-rwx' or 'premium-rwx' (Filestore CSI driver), AKS 'azurefile-csi' or 'azurefile-csi-premium' (Azure Files), on premises NFS/CephFS/Longhorn RWX; or run one replica with persistence.accessModes=[ReadWriteOnce]." -}}
{{- end -}}
{{- if gt $max 1 -}}
{{- if not $p.enabled -}}
{{- fail (printf "persistence.enabled=false with up to %d replicas: each pod would write deliverables to its own emptyDir and serve 404 for the others' files. Enable persistence with a ReadWriteMany class, or set replicaCount=1." $max) -}}
{{- end -}}
{{- if not $rwx -}}
{{- fail (printf "up to %d replicas share the deliverables claim, but persistence.accessModes %v has no ReadWriteMany: pods on other nodes cannot mount it (Multi-Attach error). Use a ReadWriteMany class (persistence.storageClassName) or replicaCount=1." $max $p.accessModes) -}}
{{- end -}}
{{- end -}}

{{- /* Rollouts with a ReadWriteOnce volume */ -}}
{{- if and $p.enabled (not $rwx) (eq (dig "type" "" $v.strategy) "RollingUpdate") -}}
{{- fail "strategy.type=RollingUpdate with a claim that is not ReadWriteMany: the new pod waits for ever on a Multi-Attach error when it lands on another node while the old one holds the volume. Leave strategy empty (Recreate is chosen) or use a ReadWriteMany class." -}}
{{- end -}}

{{- /* Disruption budget that lets a node drain */ -}}
{{- $pdb := $v.podDisruptionBudget -}}
{{- if and $pdb.enabled (gt $min 0) -}}
{{- $hasMin := not (or (kindIs "invalid" $pdb.minAvailable) (eq (toString $pdb.minAvailable) "")) -}}
{{- if $hasMin -}}
{{- $need := 0 -}}
{{- if kindIs "string" $pdb.minAvailable -}}
{{- $pct := trimSuffix "%" $pdb.minAvailable | int -}}
{{- $need = div (add (mul $pct $min) 99) 100 | int -}}
{{- else -}}
{{- $need = $pdb.minAvailable | int -}}
{{- end -}}
{{- if ge $need $min -}}
{{- fail (printf "podDisruptionBudget.minAvailable=%v with %d replica(s) allows no disruption: every node drain and cluster upgrade would block. Use a value below the replica count, or maxUnavailable: 1." $pdb.minAvailable $min) -}}
{{- end -}}
{{- else -}}
{{- if or (eq (toString $pdb.maxUnavailable) "0") (eq (toString $pdb.maxUnavailable) "0%") -}}
{{- fail "podDisruptionBudget.maxUnavailable=0 allows no disruption: every node drain would block." -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- /* Variables the chart owns */ -}}
{{- $reserved := splitList " " (include "sfmc.reservedEnv" . | trim) -}}
{{- if $v.secrets.database.name -}}
{{- $reserved = concat $reserved (list "QUARKUS_DATASOURCE_PG_USERNAME" "QUARKUS_DATASOURCE_PG_PASSWORD") -}}
{{- end -}}
{{- range $k, $_ := $v.config.extraEnv -}}
{{- if has $k $reserved -}}
{{- fail (printf "config.extraEnv may not set %s: the chart sets it (see values.yaml)" $k) -}}
{{- end -}}
{{- end -}}
{{- $seen := list -}}
{{- range $v.extraEnv -}}
{{- if has .name $reserved -}}
{{- fail (printf "extraEnv may not set %s: the chart sets it (see values.yaml)" .name) -}}
{{- end -}}
{{- if has .name $seen -}}
{{- fail (printf "extraEnv names %s twice" .name) -}}
{{- end -}}
{{- $seen = append $seen .name -}}
{{- end -}}

{{- /* Timings that add up */ -}}
{{- $grace := int $v.terminationGracePeriodSeconds -}}
{{- $needGrace := add $v.shutdownTimeoutSeconds $v.preStopSleepSeconds 5 | int -}}
{{- if lt $grace $needGrace -}}
{{- fail (printf "terminationGracePeriodSeconds=%d must exceed shutdownTimeoutSeconds (%d) + preStopSleepSeconds (%d) + 5s margin = %d: otherwise the kubelet kills the JVM while in-flight requests finish." $grace (int $v.shutdownTimeoutSeconds) (int $v.preStopSleepSeconds) $needGrace) -}}
{{- end -}}
{{- if le (int $v.probes.readiness.timeoutSeconds) (int $v.config.database.acquisitionTimeoutSeconds) -}}
{{- fail (printf "probes.readiness.timeoutSeconds=%d must exceed config.database.acquisitionTimeoutSeconds=%d: the readiness check borrows a connection from the pool, and a busy pool would time the probe out instead of answering." (int $v.probes.readiness.timeoutSeconds) (int $v.config.database.acquisitionTimeoutSeconds)) -}}
{{- end -}}
{{- if $v.cronjob.enabled -}}
{{- $c := $v.cronjob.curl -}}
{{- $worst := add (mul (add $c.retries 1) $c.maxTimeSeconds) (mul $c.retries $c.retryDelaySeconds) | int -}}
{{- if ge $worst (int $v.cronjob.activeDeadlineSeconds) -}}
{{- fail (printf "cronjob: curl may take (retries %d + 1) x maxTimeSeconds %d + %d x retryDelaySeconds %d = %ds, not below activeDeadlineSeconds=%d: the Job would be killed mid-retry. Lower cronjob.curl.* or raise the deadline." (int $c.retries) (int $c.maxTimeSeconds) (int $c.retries) (int $c.retryDelaySeconds) $worst (int $v.cronjob.activeDeadlineSeconds)) -}}
{{- end -}}
{{- end -}}
{{- if and $v.autoscaling.enabled (gt (int $v.autoscaling.minReplicas) (int $v.autoscaling.maxReplicas)) -}}
{{- fail "autoscaling.minReplicas is above autoscaling.maxReplicas" -}}
{{- end -}}
{{- end -}}
