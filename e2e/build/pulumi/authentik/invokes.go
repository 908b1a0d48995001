package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// invoke is one served data source: its arguments in, its result out.
type invoke func(client *apiClient, args resource.PropertyMap) (resource.PropertyMap, error)

var invokes = map[string]invoke{
	"authentik:index/getFlow:getFlow":                                                 getFlow,
	"authentik:index/getCertificateKeyPair:getCertificateKeyPair":                     getCertificateKeyPair,
	"authentik:index/getPropertyMappingProviderScope:getPropertyMappingProviderScope": getScopeMappings,
	"authentik:index/getGroup:getGroup":                                               getGroup,
}

func (p *authentikProvider) Invoke(_ context.Context, req *pulumirpc.InvokeRequest) (*pulumirpc.InvokeResponse, error) {
	fn, ok := invokes[req.GetTok()]
	if !ok {
		served := make([]string, 0, len(invokes))
		for tok := range invokes {
			served = append(served, tok)
		}
		sort.Strings(served)
		return nil, fmt.Errorf("function %s is not served by the e2e's Authentik stand-in (it serves %s)",
			req.GetTok(), strings.Join(served, ", "))
	}
	args, err := plugin.UnmarshalProperties(req.GetArgs(), marshal)
	if err != nil {
		return nil, err
	}
	client, err := p.api()
	if err != nil {
		return nil, err
	}
	result, err := fn(client, args)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", req.GetTok(), err)
	}
	ret, err := plugin.MarshalProperties(result, marshal)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.InvokeResponse{Return: ret}, nil
}

func argString(args resource.PropertyMap, key string) string {
	v := unsecret(args[resource.PropertyKey(key)])
	if v.IsString() {
		return v.StringValue()
	}
	return ""
}

func argBool(args resource.PropertyMap, key string, def bool) bool {
	v := unsecret(args[resource.PropertyKey(key)])
	if v.IsBool() {
		return v.BoolValue()
	}
	return def
}

// lookupOne lists path filtered by query and answers the single object it
// returns, as the Terraform provider's data sources do.
func lookupOne(client *apiClient, path string, query url.Values, what string) (map[string]any, error) {
	objects, err := client.list(path, query)
	if err != nil {
		return nil, err
	}
	return only(objects, what)
}

// only answers the single object a filtered list returned.
func only(objects []map[string]any, what string) (map[string]any, error) {
	switch len(objects) {
	case 0:
		return nil, fmt.Errorf("no %s found", what)
	case 1:
		return objects[0], nil
	}
	return nil, fmt.Errorf("%d objects match %s (want exactly one)", len(objects), what)
}

// pick copies API fields into outputs under the SDK's names (absent when null).
func pick(object map[string]any, names map[string]string) resource.PropertyMap {
	out := resource.PropertyMap{}
	for output, api := range names {
		if raw, ok := object[api]; ok && raw != nil {
			out[resource.PropertyKey(output)] = resource.NewPropertyValue(raw)
		}
	}
	return out
}

func getFlow(client *apiClient, args resource.PropertyMap) (resource.PropertyMap, error) {
	query := url.Values{}
	slug := argString(args, "slug")
	designation := argString(args, "designation")
	if slug == "" && designation == "" {
		return nil, fmt.Errorf("slug or designation is required")
	}
	if slug != "" {
		query.Set("slug", slug)
	}
	if designation != "" {
		query.Set("designation", designation)
	}
	flow, err := lookupOne(client, "/flows/instances/", query, fmt.Sprintf("flow with %s", query.Encode()))
	if err != nil {
		return nil, err
	}
	out := pick(flow, map[string]string{
		"id": "pk", "slug": "slug", "name": "name", "title": "title",
		"designation": "designation", "authentication": "authentication",
	})
	return out, nil
}

func getCertificateKeyPair(client *apiClient, args resource.PropertyMap) (resource.PropertyMap, error) {
	name := argString(args, "name")
	if name == "" {
		return nil, fmt.Errorf("name is required")
	}
	pair, err := lookupOne(client, "/crypto/certificatekeypairs/", url.Values{"name": {name}}, fmt.Sprintf("certificate key pair named %q", name))
	if err != nil {
		return nil, err
	}
	out := pick(pair, map[string]string{
		"id": "pk", "name": "name", "expiry": "cert_expiry", "subject": "cert_subject",
		"fingerprint1": "fingerprint_sha1", "fingerprint256": "fingerprint_sha256",
	})
	fetchCertificate := argBool(args, "fetchCertificate", true)
	fetchKey := argBool(args, "fetchKey", true)
	out["fetchCertificate"] = resource.NewBoolProperty(fetchCertificate)
	out["fetchKey"] = resource.NewBoolProperty(fetchKey)
	out["certificateData"] = resource.NewStringProperty("")
	out["keyData"] = resource.MakeSecret(resource.NewStringProperty(""))
	pk := pkString(pair)
	if fetchCertificate {
		view, err := client.do(http.MethodGet, "/crypto/certificatekeypairs/"+pk+"/view_certificate/", nil, nil)
		if err != nil {
			return nil, err
		}
		data, _ := view["data"].(string)
		out["certificateData"] = resource.NewStringProperty(data)
	}
	if fetchKey {
		view, err := client.do(http.MethodGet, "/crypto/certificatekeypairs/"+pk+"/view_private_key/", nil, nil)
		if err != nil {
			return nil, err
		}
		data, _ := view["data"].(string)
		out["keyData"] = resource.MakeSecret(resource.NewStringProperty(data))
	}
	return out, nil
}

func getScopeMappings(client *apiClient, args resource.PropertyMap) (resource.PropertyMap, error) {
	query := url.Values{}
	var managedList []string
	if v := unsecret(args["managedLists"]); v.IsArray() {
		for _, e := range v.ArrayValue() {
			if e = unsecret(e); e.IsString() {
				managedList = append(managedList, e.StringValue())
			}
		}
	}
	for _, m := range managedList {
		query.Add("managed", m)
	}
	if m := argString(args, "managed"); m != "" {
		query.Add("managed", m)
	}
	if n := argString(args, "name"); n != "" {
		query.Set("name", n)
	}
	if s := argString(args, "scopeName"); s != "" {
		query.Set("scope_name", s)
	}
	if len(query) == 0 {
		return nil, fmt.Errorf("one of managedLists, managed, name or scopeName is required")
	}
	mappings, err := client.list("/propertymappings/provider/scope/", query)
	if err != nil {
		return nil, err
	}
	found := map[string]bool{}
	ids := []resource.PropertyValue{}
	for _, m := range mappings {
		ids = append(ids, resource.NewStringProperty(pkString(m)))
		if managed, ok := m["managed"].(string); ok {
			found[managed] = true
		}
	}
	var missing []string
	for _, m := range managedList {
		if !found[m] {
			missing = append(missing, m)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("no scope mapping managed as %s", strings.Join(missing, ", "))
	}
	if len(mappings) == 0 {
		return nil, fmt.Errorf("no scope mapping matches %s", query.Encode())
	}
	out := resource.PropertyMap{"ids": resource.NewArrayProperty(ids)}
	if len(managedList) > 0 {
		out["managedLists"] = args["managedLists"]
	}
	if len(mappings) == 1 {
		for key, v := range pick(mappings[0], map[string]string{
			"id": "pk", "name": "name", "managed": "managed", "scopeName": "scope_name",
			"expression": "expression", "description": "description",
		}) {
			out[key] = v
		}
	} else {
		out["id"] = resource.NewStringProperty(strings.Join(sortedStrings(ids), ","))
	}
	return out, nil
}

func sortedStrings(values []resource.PropertyValue) []string {
	out := make([]string, 0, len(values))
	for _, v := range values {
		out = append(out, v.StringValue())
	}
	sort.Strings(out)
	return out
}

func getGroup(client *apiClient, args resource.PropertyMap) (resource.PropertyMap, error) {
	query := url.Values{}
	includeUsers := argBool(args, "includeUsers", true)
	query.Set("include_users", fmt.Sprint(includeUsers))
	var group map[string]any
	if pk := argString(args, "pk"); pk != "" {
		object, err := client.do(http.MethodGet, "/core/groups/"+pk+"/", query, nil)
		if err != nil {
			return nil, err
		}
		group = object
	} else {
		name := argString(args, "name")
		if name == "" {
			return nil, fmt.Errorf("name or pk is required")
		}
		query.Set("name", name)
		var err error
		if group, err = lookupOne(client, "/core/groups/", query, fmt.Sprintf("group named %q", name)); err != nil {
			return nil, err
		}
	}
	out := pick(group, map[string]string{
		"id": "pk", "pk": "pk", "name": "name", "numPk": "num_pk", "isSuperuser": "is_superuser",
		"parents": "parents", "users": "users",
	})
	out["includeUsers"] = resource.NewBoolProperty(includeUsers)
	attributes, err := json.Marshal(group["attributes"])
	if err != nil {
		return nil, err
	}
	out["attributes"] = resource.NewStringProperty(string(attributes))
	if _, ok := out["users"]; !ok {
		out["users"] = resource.NewArrayProperty(nil)
	}
	return out, nil
}
