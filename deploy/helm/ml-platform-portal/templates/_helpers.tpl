{{/* Names and labels. */}}
{{- define "portal.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "portal.fullname" -}}
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

{{- define "portal.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "portal.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: ml-platform-portal
{{- end -}}

{{- define "portal.selectorLabels" -}}
app.kubernetes.io/name: {{ include "portal.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "portal.serviceAccountName" -}}
{{- default (include "portal.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{/* The Kubernetes username of the portal's service account. */}}
{{- define "portal.serviceAccountUser" -}}
{{- printf "system:serviceaccount:%s:%s" .Release.Namespace (include "portal.serviceAccountName" .) -}}
{{- end -}}

{{- define "portal.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* One env entry when the value is set ('' and null leave the portal's default). */}}
{{- define "portal.envValue" -}}
{{- $value := index . 1 -}}
{{- if not (or (eq (toString $value) "") (eq (toString $value) "<nil>")) }}
- name: {{ index . 0 }}
  value: {{ toString $value | quote }}
{{- end -}}
{{- end -}}

{{/* One env entry from a Secret key when the Secret is named. */}}
{{- define "portal.envSecret" -}}
{{- $ref := index . 1 -}}
{{- if $ref.existingSecret }}
- name: {{ index . 0 }}
  valueFrom:
    secretKeyRef:
      name: {{ $ref.existingSecret }}
      key: {{ index . 2 }}
{{- end -}}
{{- end -}}

{{/* Every setting of README's configuration table, as the containers' environment. */}}
{{- define "portal.env" -}}
{{- $v := .Values -}}
- name: HOST
  value: "0.0.0.0"
- name: PORT
  value: {{ $v.web.port | quote }}
- name: NODE_ENV
  value: production
{{- include "portal.envValue" (list "PORTAL_URL" $v.publicUrl) }}
{{- include "portal.envValue" (list "NEXTAUTH_URL" $v.publicUrl) }}
{{- if and $v.trial.enabled (eq $v.trial.database "embedded") }}
{{- include "portal.envValue" (list "PORTAL_DATA_DIR" $v.trial.dataDir) }}
{{- include "portal.envValue" (list "EMBEDDED_PG_PORT" $v.trial.embeddedPostgresPort) }}
{{- end }}
{{- if and $v.trial.enabled (eq $v.trial.database "sidecar") }}
- name: DATABASE_URL
  value: {{ include "portal.trialSidecarUrl" . | quote }}
{{- end }}
{{- if not $v.trial.enabled }}
{{- include "portal.envSecret" (list "DATABASE_URL" $v.database.url $v.database.url.key) }}
{{- end }}
{{- include "portal.envSecret" (list "NEXTAUTH_SECRET" $v.auth.nextauthSecret $v.auth.nextauthSecret.key) }}
{{- include "portal.envValue" (list "OIDC_ISSUER" $v.oidc.issuer) }}
{{- include "portal.envValue" (list "OIDC_CLIENT_ID" $v.oidc.clientId) }}
{{- include "portal.envSecret" (list "OIDC_CLIENT_SECRET" $v.oidc.clientSecret $v.oidc.clientSecret.key) }}
{{- include "portal.envValue" (list "OIDC_DISPLAY_NAME" $v.oidc.displayName) }}
{{- include "portal.envValue" (list "OIDC_SCOPES" $v.oidc.scopes) }}
{{- include "portal.envValue" (list "OIDC_GROUPS_CLAIM" $v.oidc.groupsClaim) }}
{{- include "portal.envValue" (list "ROLE_TENANT_GROUP_PATTERN" $v.roles.tenantGroupPattern) }}
{{- include "portal.envValue" (list "ROLE_PLATFORM_GROUPS" $v.roles.platformGroups) }}
{{- include "portal.envValue" (list "LOG_LEVEL" $v.logLevel) }}
{{- include "portal.envSecret" (list "METRICS_TOKEN" $v.metrics.token $v.metrics.token.key) }}
{{- include "portal.envValue" (list "TRUSTED_PROXY_HOPS" $v.security.trustedProxyHops) }}
{{- include "portal.envValue" (list "RATE_LIMIT_USER_ACTIONS_PER_MINUTE" $v.security.rateLimitUserActionsPerMinute) }}
{{- include "portal.envValue" (list "RATE_LIMIT_ADDRESS_MUTATIONS_PER_MINUTE" $v.security.rateLimitAddressMutationsPerMinute) }}
{{- include "portal.envValue" (list "API_TOKEN_MAX_DAYS" $v.security.apiTokenMaxDays) }}
{{- include "portal.envValue" (list "WEBHOOK_ALLOW_PRIVATE_NETWORKS" $v.notifications.allowPrivateNetworks) }}
{{- include "portal.envValue" (list "WEBHOOK_TIMEOUT_MS" $v.notifications.timeoutMs) }}
{{- if $v.kubernetes.portalKubeconfig.existingSecret }}
- name: KUBERNETES_PORTAL_KUBECONFIG
  value: /etc/ml-portal/kubeconfig/{{ $v.kubernetes.portalKubeconfig.key }}
{{- end }}
{{- include "portal.envValue" (list "KUBERNETES_TIMEOUT_MS" $v.kubernetes.timeoutMs) }}
{{- include "portal.envValue" (list "KUBERNETES_PORTAL_MARKER" $v.kubernetes.portalMarker) }}
{{- include "portal.envValue" (list "MLFLOW_TRACKING_URI" $v.mlflow.trackingUri) }}
{{- include "portal.envValue" (list "MLFLOW_WORKSPACE_HEADER" $v.mlflow.workspaceHeader) }}
{{- include "portal.envValue" (list "MLFLOW_TIMEOUT_MS" $v.mlflow.timeoutMs) }}
{{- include "portal.envValue" (list "S3_ENDPOINT" $v.s3.endpoint) }}
{{- include "portal.envValue" (list "S3_REGION" $v.s3.region) }}
{{- include "portal.envSecret" (list "S3_ACCESS_KEY_ID" $v.s3.credentials $v.s3.credentials.accessKeyIdKey) }}
{{- include "portal.envSecret" (list "S3_SECRET_ACCESS_KEY" $v.s3.credentials $v.s3.credentials.secretAccessKeyKey) }}
{{- include "portal.envValue" (list "S3_BUCKET" $v.s3.bucket) }}
{{- include "portal.envValue" (list "S3_FORCE_PATH_STYLE" $v.s3.forcePathStyle) }}
{{- include "portal.envValue" (list "S3_TENANT_PREFIX" $v.s3.tenantPrefix) }}
{{- include "portal.envValue" (list "S3_PRESIGN_TTL_SECONDS" $v.s3.presignTtlSeconds) }}
{{- include "portal.envValue" (list "PROMETHEUS_URL" $v.prometheus.url) }}
{{- include "portal.envValue" (list "PROMETHEUS_TIMEOUT_MS" $v.prometheus.timeoutMs) }}
{{- if $v.prometheus.queryTemplates }}
- name: PROMETHEUS_QUERY_TEMPLATES
  value: /etc/ml-portal/prometheus/query-templates.json
{{- end }}
{{- include "portal.envValue" (list "PROMETHEUS_SHARE_TTL_SECONDS" $v.prometheus.shareTtlSeconds) }}
{{- include "portal.envValue" (list "PLATFORM_SERVING_MLFLOW_VERSION" $v.platformHealth.servingMlflowVersion) }}
{{- if $v.platformHealth.versionMatrix }}
- name: PLATFORM_VERSION_MATRIX
  value: /etc/ml-portal/platform-health/version-matrix.json
{{- end }}
{{- include "portal.envValue" (list "SLO_LATENCY_BUCKETS_MS" $v.slo.latencyBucketsMs) }}
{{- include "portal.envValue" (list "ROLLOUT_CHECK_INTERVAL_SECONDS" $v.rollout.checkIntervalSeconds) }}
{{- include "portal.envValue" (list "RESUME_DEPLOYMENTS_AFTER_SECONDS" $v.rollout.resumeDeploymentsAfterSeconds) }}
{{- include "portal.envValue" (list "RESUME_ROLLOUT_ACTIONS_AFTER_SECONDS" $v.rollout.resumeRolloutActionsAfterSeconds) }}
{{- include "portal.envValue" (list "PORTAL_ENV_FILE" $v.envFile) }}
{{- with $v.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* What only the web server reads. */}}
{{- define "portal.webEnv" -}}
{{- include "portal.envValue" (list "READY_WATCH_CACHE_WAIT_SECONDS" .Values.web.readyWatchCacheWaitSeconds) }}
{{- include "portal.envValue" (list "SHUTDOWN_DELAY_SECONDS" .Values.web.shutdownDelaySeconds) }}
{{- include "portal.envValue" (list "SHUTDOWN_DRAIN_SECONDS" .Values.web.shutdownDrainSeconds) }}
{{- end -}}

{{/* What only the worker reads. */}}
{{- define "portal.workerEnv" -}}
{{- include "portal.envValue" (list "WORKER_METRICS_PORT" .Values.worker.metricsPort) }}
{{- include "portal.envValue" (list "WORKER_STOP_TIMEOUT_SECONDS" .Values.worker.stopTimeoutSeconds) }}
{{- end -}}

{{/* The worker container (its own Deployment, or beside the portal in a trial). */}}
{{- define "portal.workerContainer" -}}
- name: worker
  image: {{ include "portal.image" . | quote }}
  imagePullPolicy: {{ .Values.image.pullPolicy }}
  {{- with .Values.worker.command }}
  command:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.worker.args }}
  args:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- if .Values.worker.metricsPort }}
  ports:
    - name: metrics
      containerPort: {{ .Values.worker.metricsPort }}
      protocol: TCP
  livenessProbe:
    {{- toYaml .Values.worker.livenessProbe | nindent 4 }}
  {{- end }}
  env:
    {{- include "portal.env" . | nindent 4 }}
    {{- include "portal.workerEnv" . | nindent 4 }}
    {{- if and .Values.trial.enabled (eq .Values.trial.database "embedded") }}
    {{- include "portal.trialWorkerDatabaseEnv" . | nindent 4 }}
    {{- end }}
  resources:
    {{- toYaml .Values.worker.resources | nindent 4 }}
  securityContext:
    {{- toYaml .Values.containerSecurityContext | nindent 4 }}
  volumeMounts:
    {{- include "portal.volumeMounts" . | nindent 4 }}
{{- end -}}

{{/* The trial's PostgreSQL container: on 127.0.0.1 only, so its fixed password guards nothing outside the pod. */}}
{{- define "portal.trialSidecarUrl" -}}
{{- printf "postgresql://portal:portal-trial@127.0.0.1:%v/portal" .Values.trial.postgres.port -}}
{{- end -}}

{{- define "portal.trialPostgresContainer" -}}
- name: postgres
  image: {{ .Values.trial.postgres.image | quote }}
  imagePullPolicy: {{ .Values.image.pullPolicy }}
  args: [-c, listen_addresses=127.0.0.1, -c, "port={{ .Values.trial.postgres.port }}"]
  env:
    - name: POSTGRES_USER
      value: portal
    - name: POSTGRES_PASSWORD
      value: portal-trial
    - name: POSTGRES_DB
      value: portal
    - name: PGDATA
      value: /var/lib/postgresql/data/pgdata
  readinessProbe:
    exec:
      command: [pg_isready, -h, 127.0.0.1, -p, "{{ .Values.trial.postgres.port }}", -U, portal]
    periodSeconds: 5
  resources:
    requests: { cpu: 100m, memory: 256Mi }
    limits: { memory: 512Mi }
  securityContext:
    {{- toYaml (merge (dict "runAsUser" (int .Values.trial.postgres.runAsUser) "runAsGroup" (int .Values.trial.postgres.runAsUser)) .Values.containerSecurityContext) | nindent 4 }}
  volumeMounts:
    - name: tmp
      mountPath: /tmp
    - name: postgres-run
      mountPath: /var/run/postgresql
    - name: data
      mountPath: /var/lib/postgresql/data
{{- end -}}

{{/* The worker in trial mode reaches the embedded PostgreSQL the web container started in the same pod. */}}
{{- define "portal.trialWorkerDatabaseEnv" -}}
- name: DATABASE_URL
  value: {{ printf "postgresql://postgres:postgres@127.0.0.1:%v/portal" .Values.trial.embeddedPostgresPort | quote }}
{{- end -}}

{{- define "portal.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if .Values.prometheus.queryTemplates }}
- name: prometheus-templates
  mountPath: /etc/ml-portal/prometheus
  readOnly: true
{{- end }}
{{- if .Values.platformHealth.versionMatrix }}
- name: version-matrix
  mountPath: /etc/ml-portal/platform-health
  readOnly: true
{{- end }}
{{- if .Values.kubernetes.portalKubeconfig.existingSecret }}
- name: portal-kubeconfig
  mountPath: /etc/ml-portal/kubeconfig
  readOnly: true
{{- end }}
{{- end -}}

{{- define "portal.volumes" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpSizeLimit }}
{{- if .Values.prometheus.queryTemplates }}
- name: prometheus-templates
  configMap:
    name: {{ include "portal.fullname" . }}-prometheus-templates
{{- end }}
{{- if .Values.platformHealth.versionMatrix }}
- name: version-matrix
  configMap:
    name: {{ include "portal.fullname" . }}-version-matrix
{{- end }}
{{- if .Values.kubernetes.portalKubeconfig.existingSecret }}
- name: portal-kubeconfig
  secret:
    secretName: {{ .Values.kubernetes.portalKubeconfig.existingSecret }}
{{- end }}
{{- end -}}
