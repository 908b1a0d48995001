package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/structpb"
)

// sdkParameterization reads the value the @pulumi/authentik SDK sends.
func sdkParameterization(t *testing.T) (name, version string, value []byte) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "sdks", "authentik", "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	var pkg struct {
		Pulumi struct {
			Parameterization struct{ Name, Version, Value string }
		}
	}
	if err := json.Unmarshal(raw, &pkg); err != nil {
		t.Fatal(err)
	}
	p := pkg.Pulumi.Parameterization
	decoded, err := base64.StdEncoding.DecodeString(p.Value)
	if err != nil {
		t.Fatal(err)
	}
	return p.Name, p.Version, decoded
}

func TestParameterizeAcceptsOnlyTheSDKsValue(t *testing.T) {
	name, version, value := sdkParameterization(t)
	p := &authentikProvider{}
	res, err := p.Parameterize(context.Background(), &pulumirpc.ParameterizeRequest{
		Parameters: &pulumirpc.ParameterizeRequest_Value{Value: &pulumirpc.ParameterizeRequest_ParametersValue{
			Name: name, Version: version, Value: value,
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.GetName() != "authentik" || res.GetVersion() != "2025.12.1" {
		t.Fatalf("got %s %s", res.GetName(), res.GetVersion())
	}
	other := []byte(`{"remote":{"url":"registry.opentofu.org/hashicorp/random","version":"3.6.0"}}`)
	_, err = p.Parameterize(context.Background(), &pulumirpc.ParameterizeRequest{
		Parameters: &pulumirpc.ParameterizeRequest_Value{Value: &pulumirpc.ParameterizeRequest_ParametersValue{
			Name: "random", Version: "3.6.0", Value: other,
		}},
	})
	if err == nil || !strings.Contains(err.Error(), "hashicorp/random") || !strings.Contains(err.Error(), `package name "random"`) {
		t.Fatalf("want every problem named, got %v", err)
	}
}

func mustStruct(t *testing.T, props resource.PropertyMap) *structpb.Struct {
	t.Helper()
	s, err := plugin.MarshalProperties(props, marshal)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustProps(t *testing.T, s *structpb.Struct) resource.PropertyMap {
	t.Helper()
	m, err := plugin.UnmarshalProperties(s, marshal)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestCheckConfigNamesEveryProblem(t *testing.T) {
	p := &authentikProvider{}
	res, err := p.CheckConfig(context.Background(), &pulumirpc.CheckRequest{
		News: mustStruct(t, resource.PropertyMap{"url": resource.NewStringProperty("ftp://x"), "insecure": resource.NewStringProperty("maybe")}),
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range res.GetFailures() {
		got = append(got, f.GetProperty())
	}
	if strings.Join(got, ",") != "url,token,insecure" {
		t.Fatalf("failures %v", res.GetFailures())
	}
	ok, err := p.CheckConfig(context.Background(), &pulumirpc.CheckRequest{
		News: mustStruct(t, resource.PropertyMap{"url": resource.NewStringProperty("https://a"), "token": resource.NewStringProperty("t")}),
	})
	if err != nil || len(ok.GetFailures()) != 0 {
		t.Fatalf("%v %v", err, ok.GetFailures())
	}
	if !mustProps(t, ok.GetInputs())["token"].IsSecret() {
		t.Fatal("the token must be kept secret")
	}
}

// fakeAuthentik is a minimal in-memory API: OAuth2 providers and flows.
type fakeAuthentik struct {
	mu        sync.Mutex
	providers map[string]map[string]any
	requests  []string
	bodies    []map[string]any
}

func (f *fakeAuthentik) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, r.Method+" "+r.URL.RequestURI())
	if r.URL.Path != "/api/v3/root/config/" && r.Header.Get("Authorization") != "Bearer secret-token" {
		w.WriteHeader(http.StatusForbidden)
		return
	}
	var body map[string]any
	if raw, _ := io.ReadAll(r.Body); len(raw) > 0 {
		_ = json.Unmarshal(raw, &body)
		f.bodies = append(f.bodies, body)
	}
	write := func(status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	switch {
	case r.URL.Path == "/api/v3/root/config/":
		write(200, map[string]any{"error_reporting": map[string]any{"enabled": false}})
	case r.URL.Path == "/api/v3/flows/instances/":
		var results []any
		if r.URL.Query().Get("slug") == "default-provider-authorization-implicit-consent" {
			results = append(results, map[string]any{"pk": "flow-uuid", "slug": "default-provider-authorization-implicit-consent", "name": "n", "title": "t", "designation": "authorization", "authentication": "require_authenticated"})
		}
		write(200, map[string]any{"pagination": map[string]any{"next": 0}, "results": results})
	case r.URL.Path == "/api/v3/providers/oauth2/" && r.Method == http.MethodPost:
		stored := map[string]any{"pk": float64(len(f.providers) + 1), "client_secret": "generated-by-server", "signing_key": nil}
		for k, v := range body {
			stored[k] = v
		}
		f.providers["1"] = stored
		write(201, stored)
	case strings.HasPrefix(r.URL.Path, "/api/v3/providers/oauth2/"):
		id := strings.Trim(strings.TrimPrefix(r.URL.Path, "/api/v3/providers/oauth2/"), "/")
		stored, ok := f.providers[id]
		if !ok {
			write(404, map[string]any{"detail": "Not found."})
			return
		}
		switch r.Method {
		case http.MethodGet:
			write(200, stored)
		case http.MethodPut:
			for k, v := range body {
				stored[k] = v
			}
			write(200, stored)
		case http.MethodDelete:
			delete(f.providers, id)
			w.WriteHeader(204)
		}
	default:
		write(404, map[string]any{"detail": "Not found."})
	}
}

func configured(t *testing.T) (*authentikProvider, *fakeAuthentik) {
	t.Helper()
	fake := &fakeAuthentik{providers: map[string]map[string]any{}}
	server := httptest.NewServer(fake)
	t.Cleanup(server.Close)
	p := &authentikProvider{}
	_, err := p.Configure(context.Background(), &pulumirpc.ConfigureRequest{Args: mustStruct(t, resource.PropertyMap{
		"url": resource.NewStringProperty(server.URL + "/"), "token": resource.MakeSecret(resource.NewStringProperty("secret-token")),
	})})
	if err != nil {
		t.Fatal(err)
	}
	return p, fake
}

const oauth2Type = "authentik:index/providerOauth2:ProviderOauth2"

func TestProviderOauth2Lifecycle(t *testing.T) {
	p, fake := configured(t)
	ctx := context.Background()
	checked, err := p.Check(ctx, &pulumirpc.CheckRequest{Type: oauth2Type, News: mustStruct(t, resource.PropertyMap{
		"name": resource.NewStringProperty("grafana"), "clientId": resource.NewStringProperty("grafana"),
		"authorizationFlow": resource.NewStringProperty("a"), "invalidationFlow": resource.NewStringProperty("i"),
		"allowedRedirectUris": resource.NewPropertyValue([]any{map[string]any{"matching_mode": "strict", "url": "https://g/cb"}}),
	})})
	if err != nil || len(checked.GetFailures()) != 0 {
		t.Fatalf("%v %v", err, checked.GetFailures())
	}
	inputs := mustProps(t, checked.GetInputs())
	if inputs["accessTokenValidity"].StringValue() != "minutes=10" || inputs["issuerMode"].StringValue() != "per_provider" {
		t.Fatalf("the Terraform provider's defaults are missing: %v", inputs)
	}
	created, err := p.Create(ctx, &pulumirpc.CreateRequest{Type: oauth2Type, Properties: checked.GetInputs()})
	if err != nil {
		t.Fatal(err)
	}
	if created.GetId() != "1" {
		t.Fatalf("id %q", created.GetId())
	}
	sent := fake.bodies[0]
	if sent["client_id"] != "grafana" || sent["redirect_uris"].([]any)[0].(map[string]any)["matching_mode"] != "strict" {
		t.Fatalf("body %v", sent)
	}
	if _, ok := sent["clientId"]; ok {
		t.Fatal("the body must use the API's field names")
	}
	state := mustProps(t, created.GetProperties())
	if !state["clientSecret"].IsSecret() || unsecret(state["clientSecret"]).StringValue() != "generated-by-server" {
		t.Fatalf("clientSecret %v", state["clientSecret"])
	}
	if state["providerOauth2Id"].StringValue() != "1" {
		t.Fatalf("id output %v", state["providerOauth2Id"])
	}

	// Same inputs again: no change.
	same, err := p.Diff(ctx, &pulumirpc.DiffRequest{Type: oauth2Type, Id: "1", Olds: created.GetProperties(), OldInputs: checked.GetInputs(), News: checked.GetInputs()})
	if err != nil || same.GetChanges() != pulumirpc.DiffResponse_DIFF_NONE {
		t.Fatalf("%v %v", err, same)
	}

	// Drift on the server shows on refresh and as a diff.
	fake.providers["1"]["issuer_mode"] = "global"
	read, err := p.Read(ctx, &pulumirpc.ReadRequest{Type: oauth2Type, Id: "1", Properties: created.GetProperties(), Inputs: checked.GetInputs()})
	if err != nil {
		t.Fatal(err)
	}
	if mustProps(t, read.GetInputs())["issuerMode"].StringValue() != "global" {
		t.Fatal("Read must return what the server holds")
	}
	drift, err := p.Diff(ctx, &pulumirpc.DiffRequest{Type: oauth2Type, Id: "1", Olds: read.GetProperties(), OldInputs: read.GetInputs(), News: checked.GetInputs()})
	if err != nil || drift.GetChanges() != pulumirpc.DiffResponse_DIFF_SOME || strings.Join(drift.GetDiffs(), ",") != "issuerMode" || len(drift.GetReplaces()) != 0 {
		t.Fatalf("%v %v", err, drift)
	}
	if _, err := p.Update(ctx, &pulumirpc.UpdateRequest{Type: oauth2Type, Id: "1", Olds: read.GetProperties(), News: checked.GetInputs()}); err != nil {
		t.Fatal(err)
	}
	if fake.providers["1"]["issuer_mode"] != "per_provider" {
		t.Fatal("Update must write the inputs back")
	}

	if _, err := p.Delete(ctx, &pulumirpc.DeleteRequest{Type: oauth2Type, Id: "1"}); err != nil {
		t.Fatal(err)
	}
	gone, err := p.Read(ctx, &pulumirpc.ReadRequest{Type: oauth2Type, Id: "1"})
	if err != nil || gone.GetId() != "" {
		t.Fatalf("a deleted object reads as gone: %v %v", err, gone)
	}
}

func TestCheckRejectsMissingAndUnservedInputs(t *testing.T) {
	p := &authentikProvider{}
	res, err := p.Check(context.Background(), &pulumirpc.CheckRequest{Type: oauth2Type, News: mustStruct(t, resource.PropertyMap{
		"name": resource.NewNumberProperty(3), "jwksSources": resource.NewArrayProperty(nil),
	})})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range res.GetFailures() {
		got = append(got, f.GetProperty()+": "+f.GetReason())
	}
	want := "name: must be a string|authorizationFlow: missing required property|invalidationFlow: missing required property|clientId: missing required property|jwksSources: not served"
	if !strings.HasPrefix(strings.Join(got, "|"), want) {
		t.Fatalf("got %q", got)
	}
	if _, err := p.Check(context.Background(), &pulumirpc.CheckRequest{Type: "authentik:index/flow:Flow"}); err == nil {
		t.Fatal("an unserved type must fail")
	}
}

func TestGetFlowInvoke(t *testing.T) {
	p, fake := configured(t)
	res, err := p.Invoke(context.Background(), &pulumirpc.InvokeRequest{
		Tok:  "authentik:index/getFlow:getFlow",
		Args: mustStruct(t, resource.PropertyMap{"slug": resource.NewStringProperty("default-provider-authorization-implicit-consent")}),
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := mustProps(t, res.GetReturn())["id"].StringValue(); got != "flow-uuid" {
		t.Fatalf("id %q", got)
	}
	if last := fake.requests[len(fake.requests)-1]; !strings.Contains(last, "slug=default-provider-authorization-implicit-consent") {
		t.Fatalf("request %s", last)
	}
	if _, err := p.Invoke(context.Background(), &pulumirpc.InvokeRequest{
		Tok: "authentik:index/getFlow:getFlow", Args: mustStruct(t, resource.PropertyMap{"slug": resource.NewStringProperty("nope")}),
	}); err == nil || !strings.Contains(err.Error(), "no flow") {
		t.Fatalf("a missing flow must fail: %v", err)
	}
}

func TestDiffConfig(t *testing.T) {
	p := &authentikProvider{}
	config := mustStruct(t, resource.PropertyMap{
		"url": resource.NewStringProperty("http://127.0.0.1:1"), "token": resource.MakeSecret(resource.NewStringProperty("t")),
		"version": resource.NewStringProperty("1.1.3"),
	})
	same, err := p.DiffConfig(context.Background(), &pulumirpc.DiffRequest{Olds: config, OldInputs: config, News: config})
	if err != nil || same.GetChanges() != pulumirpc.DiffResponse_DIFF_NONE {
		t.Fatalf("unchanged config must not diff: %v %v", err, same)
	}
	moved := mustStruct(t, resource.PropertyMap{
		"url": resource.NewStringProperty("http://127.0.0.1:2"), "token": resource.MakeSecret(resource.NewStringProperty("t")),
		"version": resource.NewStringProperty("1.1.3"),
	})
	diff, err := p.DiffConfig(context.Background(), &pulumirpc.DiffRequest{Olds: config, OldInputs: config, News: moved})
	if err != nil || strings.Join(diff.GetDiffs(), ",") != "url" || len(diff.GetReplaces()) != 0 {
		t.Fatalf("a new url is an in-place change: %v %v", err, diff)
	}
}
