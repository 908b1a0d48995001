// Command pulumi-resource-terraform-provider is the e2e's stand-in for the
// Authentik provider.
//
// @pulumi/authentik is a parameterized package: the engine loads the plugin
// `terraform-provider` 1.1.3 and calls Parameterize with the SDK's value
// (the OpenTofu registry address goauthentik/authentik 2025.12.1). The Go
// module proxy serves neither the dynamic Terraform bridge nor
// goauthentik/terraform-provider-authentik, so neither can run here. This
// plugin answers that Parameterize call and serves only what the program
// uses: ProviderOauth2, Application and PolicyBinding, and the getFlow,
// getCertificateKeyPair, getPropertyMappingProviderScope and getGroup
// invokes, through the same Authentik REST endpoints the Terraform provider
// calls. It is not the Terraform provider: see e2e/build/README.md.
package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"
)

// version is set at build time to the version the @pulumi/authentik SDK's
// `pulumi` block asks for (the terraform-provider plugin's).
var version = "0.0.0-dev"

// The parameterization this stand-in accepts: the SDK's package name and
// version, and the Terraform provider its value names.
const (
	packageName      = "authentik"
	packageVersion   = "2025.12.1"
	terraformAddress = "registry.opentofu.org/goauthentik/authentik"
)

func main() {
	err := provider.Main("terraform-provider", func(*provider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		return &authentikProvider{}, nil
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-terraform-provider: %v\n", err)
		os.Exit(1)
	}
}

type authentikProvider struct {
	pulumirpc.UnimplementedResourceProviderServer

	mu            sync.Mutex
	parameterized bool
	client        *apiClient
}

var marshal = plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, SkipNulls: true}

func (p *authentikProvider) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

func (p *authentikProvider) Handshake(context.Context,
	*pulumirpc.ProviderHandshakeRequest,
) (*pulumirpc.ProviderHandshakeResponse, error) {
	return &pulumirpc.ProviderHandshakeResponse{AcceptSecrets: true, AcceptResources: true}, nil
}

// parameterValue is the SDK's base64-decoded parameterization value.
type parameterValue struct {
	Remote struct {
		URL     string `json:"url"`
		Version string `json:"version"`
	} `json:"remote"`
}

// Parameterize accepts only the SDK's own parameterization: any other
// Terraform provider is not served by this stand-in.
func (p *authentikProvider) Parameterize(_ context.Context,
	req *pulumirpc.ParameterizeRequest,
) (*pulumirpc.ParameterizeResponse, error) {
	value := req.GetValue()
	if value == nil {
		return nil, fmt.Errorf("parameterize: this e2e stand-in takes only the @pulumi/authentik SDK's value, not arguments %v",
			req.GetArgs().GetArgs())
	}
	if err := checkParameterization(value.GetName(), value.GetVersion(), value.GetValue()); err != nil {
		return nil, err
	}
	p.mu.Lock()
	p.parameterized = true
	p.mu.Unlock()
	return &pulumirpc.ParameterizeResponse{Name: packageName, Version: packageVersion}, nil
}

func checkParameterization(name, pkgVersion string, raw []byte) error {
	var problems []string
	if name != packageName {
		problems = append(problems, fmt.Sprintf("package name %q (want %q)", name, packageName))
	}
	// The version is not checked: the engine (v3.276.0) sends the base plugin's version (1.1.3) here
	// for a provider resource, and the dynamic bridge reads only the value, whose version is checked.
	_ = pkgVersion
	var parsed parameterValue
	// The engine passes the SDK's value decoded; accept the base64 text too.
	if err := json.Unmarshal(raw, &parsed); err != nil {
		decoded, decodeErr := base64.StdEncoding.DecodeString(string(raw))
		if decodeErr != nil || json.Unmarshal(decoded, &parsed) != nil {
			problems = append(problems, fmt.Sprintf("value is not the terraform-provider's JSON: %v", err))
		}
	}
	if parsed.Remote.URL != terraformAddress || parsed.Remote.Version != packageVersion {
		problems = append(problems, fmt.Sprintf("value names %s %s (this stand-in serves only %s %s)",
			parsed.Remote.URL, parsed.Remote.Version, terraformAddress, packageVersion))
	}
	if len(problems) > 0 {
		return fmt.Errorf("parameterize: %s", strings.Join(problems, "; "))
	}
	return nil
}

func (p *authentikProvider) GetSchema(context.Context, *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	return nil, errors.New("GetSchema: this e2e stand-in has no schema; @pulumi/authentik is already generated")
}

// configInputs reads the provider's url, token and insecure; `insecure` and
// `headers` arrive JSON-encoded, as the SDK's Provider sends them.
type configInputs struct {
	url, token string
	insecure   bool
	headers    map[string]string
}

func readConfig(props resource.PropertyMap) (configInputs, []string) {
	var cfg configInputs
	var problems []string
	str := func(key string) (string, bool) {
		v := unsecret(props[resource.PropertyKey(key)])
		if v.IsString() {
			return v.StringValue(), true
		}
		if v.IsBool() {
			return strconv.FormatBool(v.BoolValue()), true
		}
		return "", false
	}
	if u, ok := str("url"); ok && u != "" {
		parsed, err := url.Parse(u)
		if err != nil || (parsed.Scheme != "http" && parsed.Scheme != "https") || parsed.Host == "" {
			problems = append(problems, fmt.Sprintf("url: %q is not an http(s) URL", u))
		}
		cfg.url = strings.TrimSuffix(u, "/")
	} else {
		problems = append(problems, "url: missing (the Authentik URL the API lives under)")
	}
	if t, ok := str("token"); ok && t != "" {
		cfg.token = t
	} else {
		problems = append(problems, "token: missing (an Authentik API token)")
	}
	if s, ok := str("insecure"); ok && s != "" {
		b, err := strconv.ParseBool(s)
		if err != nil {
			problems = append(problems, fmt.Sprintf("insecure: %q is not a boolean", s))
		}
		cfg.insecure = b
	}
	if s, ok := str("headers"); ok && s != "" {
		if err := json.Unmarshal([]byte(s), &cfg.headers); err != nil {
			problems = append(problems, fmt.Sprintf("headers: not a JSON object of strings: %v", err))
		}
	}
	return cfg, problems
}

func (p *authentikProvider) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	news, err := plugin.UnmarshalProperties(req.GetNews(), marshal)
	if err != nil {
		return nil, err
	}
	if news.ContainsUnknowns() {
		return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
	}
	// The token is a secret whether or not the program marked it.
	if t, ok := news["token"]; ok && !t.IsSecret() && !t.IsNull() {
		news["token"] = resource.MakeSecret(t)
	}
	var failures []*pulumirpc.CheckFailure
	_, problems := readConfig(news)
	for _, problem := range problems {
		key, reason, _ := strings.Cut(problem, ": ")
		failures = append(failures, &pulumirpc.CheckFailure{Property: key, Reason: reason})
	}
	inputs, err := plugin.MarshalProperties(news, marshal)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CheckResponse{Inputs: inputs, Failures: failures}, nil
}

func (p *authentikProvider) DiffConfig(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return diffInputs(req.GetOlds(), req.GetOldInputs(), req.GetNews())
}

func (p *authentikProvider) Configure(_ context.Context, req *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	props, err := plugin.UnmarshalProperties(req.GetArgs(), marshal)
	if err != nil {
		return nil, err
	}
	if req.GetArgs() == nil {
		props = resource.PropertyMap{}
		for key, value := range req.GetVariables() {
			// Variables are `authentik:config:<key>` (or `authentik:<key>`).
			short := key[strings.LastIndex(key, ":")+1:]
			props[resource.PropertyKey(short)] = resource.NewStringProperty(value)
		}
	}
	if props.ContainsUnknowns() {
		// Preview with a URL or token not known yet: every call below needs them.
		return &pulumirpc.ConfigureResponse{AcceptSecrets: true, SupportsPreview: true}, nil
	}
	cfg, problems := readConfig(props)
	if len(problems) > 0 {
		return nil, fmt.Errorf("authentik provider configuration: %s", strings.Join(problems, "; "))
	}
	client := newAPIClient(cfg)
	// The Terraform provider's configure reads the root config (for its error reporting).
	if _, err := client.do(http.MethodGet, "/root/config/", nil, nil); err != nil {
		return nil, fmt.Errorf("authentik provider configuration: %w", err)
	}
	p.mu.Lock()
	p.client = client
	p.mu.Unlock()
	return &pulumirpc.ConfigureResponse{AcceptSecrets: true, SupportsPreview: true}, nil
}

func (p *authentikProvider) api() (*apiClient, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.client == nil {
		return nil, errors.New("the authentik provider is not configured (url or token unknown)")
	}
	return p.client, nil
}

// apiClient speaks Authentik's REST API under <url>/api/v3.
type apiClient struct {
	base    string
	token   string
	headers map[string]string
	http    *http.Client
}

func newAPIClient(cfg configInputs) *apiClient {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	// Without insecure the system roots are used; Go reads SSL_CERT_FILE for them.
	transport.TLSClientConfig = &tls.Config{InsecureSkipVerify: cfg.insecure} //nolint:gosec // the provider's `insecure` option
	return &apiClient{
		base:    cfg.url + "/api/v3",
		token:   cfg.token,
		headers: cfg.headers,
		http:    &http.Client{Transport: transport, Timeout: 30 * time.Second},
	}
}

// apiError is a non-2xx answer; its body is Authentik's error JSON.
type apiError struct {
	method, path string
	status       int
	body         string
}

func (e *apiError) Error() string {
	return fmt.Sprintf("%s %s: HTTP %d: %s", e.method, e.path, e.status, e.body)
}

func isNotFound(err error) bool {
	var ae *apiError
	return errors.As(err, &ae) && ae.status == http.StatusNotFound
}

func (c *apiClient) do(method, path string, query url.Values, body map[string]any) (map[string]any, error) {
	target := c.base + path
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	var reader io.Reader
	if body != nil {
		encoded, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		reader = bytes.NewReader(encoded)
	}
	req, err := http.NewRequest(method, target, reader)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for key, value := range c.headers {
		req.Header.Set(key, value)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer res.Body.Close()
	payload, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return nil, &apiError{method: method, path: path, status: res.StatusCode, body: string(payload)}
	}
	if len(bytes.TrimSpace(payload)) == 0 {
		return map[string]any{}, nil
	}
	var out map[string]any
	if err := json.Unmarshal(payload, &out); err != nil {
		return nil, fmt.Errorf("%s %s: answer is not a JSON object: %w", method, path, err)
	}
	return out, nil
}

// list reads every page of a list endpoint.
func (c *apiClient) list(path string, query url.Values) ([]map[string]any, error) {
	var all []map[string]any
	for page := 1; ; page++ {
		q := url.Values{}
		for k, v := range query {
			q[k] = v
		}
		q.Set("page", strconv.Itoa(page))
		out, err := c.do(http.MethodGet, path, q, nil)
		if err != nil {
			return nil, err
		}
		results, _ := out["results"].([]any)
		for _, r := range results {
			if object, ok := r.(map[string]any); ok {
				all = append(all, object)
			}
		}
		pagination, _ := out["pagination"].(map[string]any)
		next, _ := pagination["next"].(float64)
		if next == 0 || len(results) == 0 {
			return all, nil
		}
	}
}

func unsecret(v resource.PropertyValue) resource.PropertyValue {
	for v.IsSecret() {
		v = v.SecretValue().Element
	}
	return v
}
