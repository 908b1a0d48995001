{{/* Stand-in helpers. Naming as the grafana chart's templates/_helpers.tpl (grafana.fullname) names objects
(fullnameOverride; else the release name when it contains the chart name, else <release>-<chart>). */}}
{{- define "grafana-standin.fullname" -}}
{{- if .Values.fullnameOverride -}}{{ .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (.Values.nameOverride | default .Chart.Name) .Release.Name -}}{{ .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else -}}{{ printf "%s-%s" .Release.Name (.Values.nameOverride | default .Chart.Name) | trunc 63 | trimSuffix "-" }}
{{- end -}}
{{- end -}}
{{- define "grafana-standin.labels" -}}
app.kubernetes.io/name: {{ .context.Values.nameOverride | default .context.Chart.Name }}
app.kubernetes.io/instance: {{ .context.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}
