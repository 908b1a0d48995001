package main

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

type kind int

const (
	kString kind = iota
	kBool
	kInt
	kStrings
	kInts
	// kRedirects is allowed_redirect_uris: a list of {matching_mode, url} maps.
	kRedirects
)

// field maps one input/output of the SDK (camelCase) to the API's body field.
type field struct {
	name, api string
	kind      kind
	// def is the Terraform provider's schema default, sent when the input is unset.
	def      any
	required bool
	secret   bool
}

// resourceSpec is one served resource type: its endpoints and fields.
type resourceSpec struct {
	token  string
	list   string
	detail func(id string) string
	// idOf reads the Terraform id from the API's answer.
	idOf func(map[string]any) string
	// idOutput is the SDK's output carrying the Terraform `id` attribute.
	idOutput string
	fields   []field
	// computed adds outputs the API derives (preview: unknown).
	computed func(object map[string]any, out resource.PropertyMap, preview bool)
}

func pkString(object map[string]any) string {
	switch pk := object["pk"].(type) {
	case float64:
		return strconv.FormatInt(int64(pk), 10)
	case string:
		return pk
	}
	return ""
}

var resources = map[string]*resourceSpec{
	"authentik:index/providerOauth2:ProviderOauth2": {
		token:    "authentik:index/providerOauth2:ProviderOauth2",
		list:     "/providers/oauth2/",
		detail:   func(id string) string { return "/providers/oauth2/" + id + "/" },
		idOf:     pkString,
		idOutput: "providerOauth2Id",
		fields: []field{
			{name: "name", api: "name", kind: kString, required: true},
			{name: "authorizationFlow", api: "authorization_flow", kind: kString, required: true},
			{name: "invalidationFlow", api: "invalidation_flow", kind: kString, required: true},
			{name: "authenticationFlow", api: "authentication_flow", kind: kString},
			{name: "clientId", api: "client_id", kind: kString, required: true},
			// Unset, Authentik generates it; it is a secret either way.
			{name: "clientSecret", api: "client_secret", kind: kString, secret: true},
			{name: "clientType", api: "client_type", kind: kString, def: "confidential"},
			{name: "accessCodeValidity", api: "access_code_validity", kind: kString, def: "minutes=1"},
			{name: "accessTokenValidity", api: "access_token_validity", kind: kString, def: "minutes=10"},
			{name: "refreshTokenValidity", api: "refresh_token_validity", kind: kString, def: "days=30"},
			{name: "refreshTokenThreshold", api: "refresh_token_threshold", kind: kString, def: "seconds=0"},
			{name: "includeClaimsInIdToken", api: "include_claims_in_id_token", kind: kBool, def: true},
			{name: "signingKey", api: "signing_key", kind: kString},
			{name: "encryptionKey", api: "encryption_key", kind: kString},
			{name: "propertyMappings", api: "property_mappings", kind: kStrings},
			{name: "allowedRedirectUris", api: "redirect_uris", kind: kRedirects, def: []any{}},
			{name: "logoutUri", api: "logout_uri", kind: kString},
			{name: "logoutMethod", api: "logout_method", kind: kString, def: "backchannel"},
			{name: "subMode", api: "sub_mode", kind: kString, def: "hashed_user_id"},
			{name: "issuerMode", api: "issuer_mode", kind: kString, def: "per_provider"},
			{name: "jwtFederationSources", api: "jwt_federation_sources", kind: kStrings},
			{name: "jwtFederationProviders", api: "jwt_federation_providers", kind: kInts},
		},
	},
	"authentik:index/application:Application": {
		token:    "authentik:index/application:Application",
		list:     "/core/applications/",
		detail:   func(id string) string { return "/core/applications/" + id + "/" },
		idOf:     func(o map[string]any) string { s, _ := o["slug"].(string); return s },
		idOutput: "applicationId",
		fields: []field{
			{name: "name", api: "name", kind: kString, required: true},
			{name: "slug", api: "slug", kind: kString, required: true},
			{name: "protocolProvider", api: "provider", kind: kInt},
			{name: "backchannelProviders", api: "backchannel_providers", kind: kInts},
			{name: "group", api: "group", kind: kString},
			{name: "openInNewTab", api: "open_in_new_tab", kind: kBool, def: false},
			{name: "metaLaunchUrl", api: "meta_launch_url", kind: kString},
			{name: "metaIcon", api: "meta_icon", kind: kString},
			{name: "metaDescription", api: "meta_description", kind: kString},
			{name: "metaPublisher", api: "meta_publisher", kind: kString},
			{name: "policyEngineMode", api: "policy_engine_mode", kind: kString, def: "any"},
		},
		computed: func(object map[string]any, out resource.PropertyMap, preview bool) {
			if preview {
				out["uuid"] = resource.MakeComputed(resource.NewStringProperty(""))
				return
			}
			out["uuid"] = resource.NewStringProperty(pkString(object))
		},
	},
	"authentik:index/policyBinding:PolicyBinding": {
		token:    "authentik:index/policyBinding:PolicyBinding",
		list:     "/policies/bindings/",
		detail:   func(id string) string { return "/policies/bindings/" + id + "/" },
		idOf:     pkString,
		idOutput: "policyBindingId",
		fields: []field{
			{name: "target", api: "target", kind: kString, required: true},
			{name: "order", api: "order", kind: kInt, required: true},
			{name: "policy", api: "policy", kind: kString},
			{name: "group", api: "group", kind: kString},
			{name: "user", api: "user", kind: kInt},
			{name: "negate", api: "negate", kind: kBool, def: false},
			{name: "enabled", api: "enabled", kind: kBool, def: true},
			{name: "timeout", api: "timeout", kind: kInt, def: float64(30)},
			{name: "failureResult", api: "failure_result", kind: kBool, def: false},
		},
	},
}

func specFor(token string) (*resourceSpec, error) {
	spec, ok := resources[token]
	if !ok {
		served := make([]string, 0, len(resources))
		for t := range resources {
			served = append(served, t)
		}
		sort.Strings(served)
		return nil, fmt.Errorf("resource type %s is not served by the e2e's Authentik stand-in (it serves %s)",
			token, strings.Join(served, ", "))
	}
	return spec, nil
}

// checkValue says what is wrong with a known input value of kind k, or "".
func checkValue(k kind, v resource.PropertyValue) string {
	v = unsecret(v)
	if v.IsComputed() || v.IsOutput() && !v.OutputValue().Known {
		return ""
	}
	switch k {
	case kString:
		if !v.IsString() {
			return "must be a string"
		}
	case kBool:
		if !v.IsBool() {
			return "must be a boolean"
		}
	case kInt:
		if !v.IsNumber() || v.NumberValue() != float64(int64(v.NumberValue())) {
			return "must be an integer"
		}
	case kStrings, kInts, kRedirects:
		if !v.IsArray() {
			return "must be a list"
		}
		for i, e := range v.ArrayValue() {
			e = unsecret(e)
			if e.IsComputed() {
				continue
			}
			switch k {
			case kStrings:
				if !e.IsString() {
					return fmt.Sprintf("[%d] must be a string", i)
				}
			case kInts:
				if !e.IsNumber() {
					return fmt.Sprintf("[%d] must be an integer", i)
				}
			case kRedirects:
				if !e.IsObject() {
					return fmt.Sprintf("[%d] must be a map of matching_mode and url", i)
				}
				for key, mv := range e.ObjectValue() {
					if key != "matching_mode" && key != "url" {
						return fmt.Sprintf("[%d] has key %q (allowed: matching_mode, url)", i, key)
					}
					if mv = unsecret(mv); !mv.IsComputed() && !mv.IsString() {
						return fmt.Sprintf("[%d].%s must be a string", i, key)
					}
				}
			}
		}
	}
	return ""
}

func (p *authentikProvider) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	spec, err := specFor(req.GetType())
	if err != nil {
		return nil, err
	}
	news, err := plugin.UnmarshalProperties(req.GetNews(), marshal)
	if err != nil {
		return nil, err
	}
	failures := checkInputs(spec, news)
	inputs, err := plugin.MarshalProperties(news, marshal)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CheckResponse{Inputs: inputs, Failures: failures}, nil
}

// checkInputs fills the Terraform provider's defaults into news and reports
// every missing, mistyped or unserved input at once.
func checkInputs(spec *resourceSpec, news resource.PropertyMap) []*pulumirpc.CheckFailure {
	var failures []*pulumirpc.CheckFailure
	known := map[resource.PropertyKey]bool{}
	for _, f := range spec.fields {
		key := resource.PropertyKey(f.name)
		known[key] = true
		v, ok := news[key]
		if !ok || v.IsNull() {
			if f.required {
				failures = append(failures, &pulumirpc.CheckFailure{Property: f.name, Reason: "missing required property"})
			} else if f.def != nil {
				news[key] = resource.NewPropertyValue(f.def)
			}
			continue
		}
		if problem := checkValue(f.kind, v); problem != "" {
			failures = append(failures, &pulumirpc.CheckFailure{Property: f.name, Reason: problem})
		}
		if f.secret && !v.IsSecret() && !v.IsComputed() {
			news[key] = resource.MakeSecret(v)
		}
	}
	var unknownKeys []string
	for key := range news {
		if !known[key] && !strings.HasPrefix(string(key), "__") {
			unknownKeys = append(unknownKeys, string(key))
		}
	}
	sort.Strings(unknownKeys)
	for _, key := range unknownKeys {
		failures = append(failures, &pulumirpc.CheckFailure{
			Property: key,
			Reason:   "not served by the e2e's Authentik stand-in (it takes only the inputs the program sets)",
		})
	}
	return failures
}

// body is the API request body for the inputs (the defaults are in them after Check).
func body(spec *resourceSpec, inputs resource.PropertyMap) map[string]any {
	out := map[string]any{}
	for _, f := range spec.fields {
		v, ok := inputs[resource.PropertyKey(f.name)]
		if !ok || v.IsNull() {
			continue
		}
		out[f.api] = plain(v)
	}
	return out
}

// plain is the JSON value of a known property value, secrets unwrapped.
func plain(v resource.PropertyValue) any {
	v = unsecret(v)
	switch {
	case v.IsArray():
		list := []any{}
		for _, e := range v.ArrayValue() {
			list = append(list, plain(e))
		}
		return list
	case v.IsObject():
		object := map[string]any{}
		for key, e := range v.ObjectValue() {
			object[string(key)] = plain(e)
		}
		return object
	case v.IsNull():
		return nil
	}
	return v.V
}

// outputs are what the server holds for each field (absent when null), plus
// the id attribute and the API-derived outputs.
func outputs(spec *resourceSpec, id string, object map[string]any) resource.PropertyMap {
	out := resource.PropertyMap{}
	for _, f := range spec.fields {
		raw, ok := object[f.api]
		if !ok || raw == nil {
			continue
		}
		v := resource.NewPropertyValue(raw)
		if f.secret {
			v = resource.MakeSecret(v)
		}
		out[resource.PropertyKey(f.name)] = v
	}
	out[resource.PropertyKey(spec.idOutput)] = resource.NewStringProperty(id)
	if spec.computed != nil {
		spec.computed(object, out, false)
	}
	return out
}

// writeAndReadBack sends the whole object (POST to create, PUT to update) and,
// as the Terraform provider does after every write, reads it back from its
// detail path: the outputs are what the server holds.
func writeAndReadBack(client *apiClient, spec *resourceSpec, method, path string, inputs resource.PropertyMap) (string, resource.PropertyMap, error) {
	written, err := client.do(method, path, nil, body(spec, inputs))
	if err != nil {
		return "", nil, err
	}
	id := spec.idOf(written)
	object, err := client.do(http.MethodGet, spec.detail(id), nil, nil)
	if err != nil {
		return "", nil, err
	}
	return id, outputs(spec, id, object), nil
}

func (p *authentikProvider) Create(_ context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	spec, err := specFor(req.GetType())
	if err != nil {
		return nil, err
	}
	inputs, err := plugin.UnmarshalProperties(req.GetProperties(), marshal)
	if err != nil {
		return nil, err
	}
	var out resource.PropertyMap
	id := ""
	if req.GetPreview() {
		out = inputs.Copy()
		for _, f := range spec.fields {
			if _, ok := out[resource.PropertyKey(f.name)]; !ok && f.secret {
				out[resource.PropertyKey(f.name)] = resource.MakeSecret(resource.MakeComputed(resource.NewStringProperty("")))
			}
		}
		out[resource.PropertyKey(spec.idOutput)] = resource.MakeComputed(resource.NewStringProperty(""))
		if spec.computed != nil {
			spec.computed(nil, out, true)
		}
	} else {
		client, err := p.api()
		if err != nil {
			return nil, err
		}
		if id, out, err = writeAndReadBack(client, spec, http.MethodPost, spec.list, inputs); err != nil {
			return nil, err
		}
	}
	state, err := plugin.MarshalProperties(out, marshal)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CreateResponse{Id: id, Properties: state}, nil
}

// Read returns what the server holds; the inputs follow the server for every
// input the program set, so refresh shows drift as a diff. A missing object
// answers an empty id (deleted out of band).
func (p *authentikProvider) Read(_ context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	spec, err := specFor(req.GetType())
	if err != nil {
		return nil, err
	}
	client, err := p.api()
	if err != nil {
		return nil, err
	}
	object, err := client.do(http.MethodGet, spec.detail(req.GetId()), nil, nil)
	if isNotFound(err) {
		return &pulumirpc.ReadResponse{}, nil
	}
	if err != nil {
		return nil, err
	}
	id := spec.idOf(object)
	out := outputs(spec, id, object)
	oldInputs, err := plugin.UnmarshalProperties(req.GetInputs(), marshal)
	if err != nil {
		return nil, err
	}
	inputs := resource.PropertyMap{}
	for key, old := range oldInputs {
		if v, ok := out[key]; ok {
			if old.IsSecret() && !v.IsSecret() {
				v = resource.MakeSecret(v)
			}
			inputs[key] = v
		} else if !isField(spec, key) {
			inputs[key] = old
		}
	}
	state, err := plugin.MarshalProperties(out, marshal)
	if err != nil {
		return nil, err
	}
	ins, err := plugin.MarshalProperties(inputs, marshal)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.ReadResponse{Id: id, Properties: state, Inputs: ins}, nil
}

func isField(spec *resourceSpec, key resource.PropertyKey) bool {
	for _, f := range spec.fields {
		if f.name == string(key) {
			return true
		}
	}
	return false
}

// Diff compares the new inputs with what the state holds (the server's
// values since the last read). No field of these resources forces a
// replacement: every change is an in-place PUT.
func (p *authentikProvider) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	if _, err := specFor(req.GetType()); err != nil {
		return nil, err
	}
	return diffInputs(req.GetOlds(), req.GetOldInputs(), req.GetNews())
}

func diffInputs(oldState, oldInputs, newInputs *structpb.Struct) (*pulumirpc.DiffResponse, error) {
	olds, err := plugin.UnmarshalProperties(oldState, marshal)
	if err != nil {
		return nil, err
	}
	oldIns, err := plugin.UnmarshalProperties(oldInputs, marshal)
	if err != nil {
		return nil, err
	}
	news, err := plugin.UnmarshalProperties(newInputs, marshal)
	if err != nil {
		return nil, err
	}
	keys := map[resource.PropertyKey]bool{}
	for key := range news {
		keys[key] = true
	}
	for key := range oldIns {
		keys[key] = true
	}
	var changed []string
	detailed := map[string]*pulumirpc.PropertyDiff{}
	for key := range keys {
		if strings.HasPrefix(string(key), "__") {
			continue
		}
		newValue, inNew := news[key]
		oldValue, inOld := olds[key]
		if !inOld {
			oldValue, inOld = oldIns[key]
		}
		switch {
		case inNew && !inOld:
			detailed[string(key)] = &pulumirpc.PropertyDiff{Kind: pulumirpc.PropertyDiff_ADD}
		case !inNew && inOld:
			if _, wasInput := oldIns[key]; !wasInput {
				continue // a computed output the program never set
			}
			detailed[string(key)] = &pulumirpc.PropertyDiff{Kind: pulumirpc.PropertyDiff_DELETE}
		case newValue.ContainsUnknowns() || !stripSecrets(newValue).DeepEquals(stripSecrets(oldValue)):
			detailed[string(key)] = &pulumirpc.PropertyDiff{Kind: pulumirpc.PropertyDiff_UPDATE}
		default:
			continue
		}
		changed = append(changed, string(key))
	}
	sort.Strings(changed)
	if len(changed) == 0 {
		return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}, nil
	}
	return &pulumirpc.DiffResponse{
		Changes: pulumirpc.DiffResponse_DIFF_SOME, Diffs: changed,
		DetailedDiff: detailed, HasDetailedDiff: true,
	}, nil
}

func stripSecrets(v resource.PropertyValue) resource.PropertyValue {
	v = unsecret(v)
	switch {
	case v.IsArray():
		list := make([]resource.PropertyValue, 0, len(v.ArrayValue()))
		for _, e := range v.ArrayValue() {
			list = append(list, stripSecrets(e))
		}
		return resource.NewArrayProperty(list)
	case v.IsObject():
		object := resource.PropertyMap{}
		for key, e := range v.ObjectValue() {
			object[key] = stripSecrets(e)
		}
		return resource.NewObjectProperty(object)
	}
	return v
}

// Update writes the whole object (PUT), as the Terraform provider does, and
// reads it back.
func (p *authentikProvider) Update(_ context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	spec, err := specFor(req.GetType())
	if err != nil {
		return nil, err
	}
	inputs, err := plugin.UnmarshalProperties(req.GetNews(), marshal)
	if err != nil {
		return nil, err
	}
	var out resource.PropertyMap
	if req.GetPreview() {
		olds, err := plugin.UnmarshalProperties(req.GetOlds(), marshal)
		if err != nil {
			return nil, err
		}
		out = olds.Copy()
		for key, v := range inputs {
			out[key] = v
		}
	} else {
		client, err := p.api()
		if err != nil {
			return nil, err
		}
		if _, out, err = writeAndReadBack(client, spec, http.MethodPut, spec.detail(req.GetId()), inputs); err != nil {
			return nil, err
		}
	}
	state, err := plugin.MarshalProperties(out, marshal)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.UpdateResponse{Properties: state}, nil
}

// Delete removes the object; one already gone is not an error.
func (p *authentikProvider) Delete(_ context.Context, req *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	spec, err := specFor(req.GetType())
	if err != nil {
		return nil, err
	}
	client, err := p.api()
	if err != nil {
		return nil, err
	}
	if _, err := client.do(http.MethodDelete, spec.detail(req.GetId()), nil, nil); err != nil && !isNotFound(err) {
		return nil, err
	}
	return &emptypb.Empty{}, nil
}
