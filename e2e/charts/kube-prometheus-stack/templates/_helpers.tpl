{{/* Naming as prometheus-community/helm-charts charts/kube-prometheus-stack/templates/_helpers.tpl
(kube-prometheus-stack.fullname: truncated to 26 characters). */}}
{{- define "kube-prometheus-stack-standin.fullname" -}}
{{- if .Values.fullnameOverride -}}{{ .Values.fullnameOverride | trunc 26 | trimSuffix "-" }}
{{- else if contains (.Values.nameOverride | default .Chart.Name) .Release.Name -}}{{ .Release.Name | trunc 26 | trimSuffix "-" }}
{{- else -}}{{ printf "%s-%s" .Release.Name (.Values.nameOverride | default .Chart.Name) | trunc 26 | trimSuffix "-" }}
{{- end -}}
{{- end -}}
{{- define "kube-prometheus-stack-standin.labels" -}}
app: {{ include "kube-prometheus-stack-standin.fullname" .context }}-{{ .component }}
release: {{ .context.Release.Name | quote }}
{{- end -}}
