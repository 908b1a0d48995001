// Command pulumi-resource-random is the e2e's `random` resource plugin.
//
// The Go module proxy serves neither github.com/pulumi/pulumi-random nor the
// Terraform provider it bridges, so the e2e builds this one against sdk/v3.
// It implements the one resource the program uses,
// random:index/randomPassword:RandomPassword, with the upstream provider's
// inputs, defaults and lifecycle: every input change replaces the resource,
// refresh keeps the stored result, `result` and `bcryptHash` are secrets.
package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
	"os"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/provider"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"golang.org/x/crypto/bcrypt"
	"google.golang.org/protobuf/types/known/emptypb"
)

// version is set at build time to the version the @pulumi/random SDK asks for.
var version = "0.0.0-dev"

const passwordType = "random:index/randomPassword:RandomPassword"

const (
	lowerChars          = "abcdefghijklmnopqrstuvwxyz"
	upperChars          = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	numericChars        = "0123456789"
	defaultSpecialChars = "!@#$%&*()-_=+[]{}<>:?"
)

func main() {
	err := provider.Main("random", func(*provider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		return &randomProvider{}, nil
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-random: %v\n", err)
		os.Exit(1)
	}
}

type randomProvider struct {
	pulumirpc.UnimplementedResourceProviderServer
}

var marshal = plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, SkipNulls: true}

func (p *randomProvider) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

func (p *randomProvider) Handshake(context.Context,
	*pulumirpc.ProviderHandshakeRequest,
) (*pulumirpc.ProviderHandshakeResponse, error) {
	return &pulumirpc.ProviderHandshakeResponse{AcceptSecrets: true, AcceptResources: true}, nil
}

func (p *randomProvider) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

func (p *randomProvider) DiffConfig(context.Context, *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return &pulumirpc.DiffResponse{}, nil
}

func (p *randomProvider) Configure(context.Context, *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	return &pulumirpc.ConfigureResponse{AcceptSecrets: true, SupportsPreview: true}, nil
}

// passwordInputs are a RandomPassword's inputs with the upstream defaults.
type passwordInputs struct {
	length                                     int
	upper, lower, numeric, special             bool
	minUpper, minLower, minNumeric, minSpecial int
	overrideSpecial                            string
}

func (p *randomProvider) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	if req.GetType() != passwordType {
		return nil, fmt.Errorf("unknown resource type %s: this e2e plugin serves only %s", req.GetType(), passwordType)
	}
	news, err := plugin.UnmarshalProperties(req.GetNews(), marshal)
	if err != nil {
		return nil, err
	}
	if news.ContainsUnknowns() {
		return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
	}
	setDefault := func(key string, value resource.PropertyValue) {
		if v, ok := news[resource.PropertyKey(key)]; !ok || v.IsNull() {
			news[resource.PropertyKey(key)] = value
		}
	}
	for _, key := range []string{"upper", "lower", "special"} {
		setDefault(key, resource.NewBoolProperty(true))
	}
	// `number` is the deprecated name of `numeric`; both carry the same value.
	if v, ok := news["number"]; ok && !v.IsNull() {
		setDefault("numeric", v)
	}
	setDefault("numeric", resource.NewBoolProperty(true))
	setDefault("number", news["numeric"])
	for _, key := range []string{"minUpper", "minLower", "minNumeric", "minSpecial"} {
		setDefault(key, resource.NewNumberProperty(0))
	}

	var failures []*pulumirpc.CheckFailure
	if _, err := readInputs(news); err != nil {
		failures = append(failures, &pulumirpc.CheckFailure{Reason: err.Error()})
	}
	inputs, err := plugin.MarshalProperties(news, marshal)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CheckResponse{Inputs: inputs, Failures: failures}, nil
}

func readInputs(props resource.PropertyMap) (passwordInputs, error) {
	num := func(key string) int {
		v := props[resource.PropertyKey(key)]
		if v.IsSecret() {
			v = v.SecretValue().Element
		}
		if v.IsNumber() {
			return int(v.NumberValue())
		}
		return 0
	}
	flag := func(key string) bool {
		v := props[resource.PropertyKey(key)]
		if v.IsSecret() {
			v = v.SecretValue().Element
		}
		return v.IsBool() && v.BoolValue()
	}
	in := passwordInputs{
		length: num("length"), upper: flag("upper"), lower: flag("lower"),
		numeric: flag("numeric"), special: flag("special"),
		minUpper: num("minUpper"), minLower: num("minLower"),
		minNumeric: num("minNumeric"), minSpecial: num("minSpecial"),
		overrideSpecial: defaultSpecialChars,
	}
	if v, ok := props["overrideSpecial"]; ok && v.IsString() {
		in.overrideSpecial = v.StringValue()
	}
	var problems []string
	if in.length < 1 {
		problems = append(problems, "length must be at least 1")
	}
	if in.minUpper+in.minLower+in.minNumeric+in.minSpecial > in.length {
		problems = append(problems, "length must be at least the sum of the min* counts")
	}
	if !in.upper && !in.lower && !in.numeric && !in.special {
		problems = append(problems, "at least one of upper, lower, numeric and special must be true")
	}
	if len(problems) > 0 {
		return in, fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	return in, nil
}

// Diff replaces on any input change, as every attribute of the upstream
// random_password forces a new resource.
func (p *randomProvider) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	olds, err := plugin.UnmarshalProperties(req.GetOldInputs(), marshal)
	if err != nil {
		return nil, err
	}
	news, err := plugin.UnmarshalProperties(req.GetNews(), marshal)
	if err != nil {
		return nil, err
	}
	diff := olds.Diff(news)
	if diff == nil || !diff.AnyChanges() {
		return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}, nil
	}
	var changed []string
	for _, key := range diff.ChangedKeys() {
		changed = append(changed, string(key))
	}
	sort.Strings(changed)
	return &pulumirpc.DiffResponse{
		Changes:  pulumirpc.DiffResponse_DIFF_SOME,
		Replaces: changed,
		Diffs:    changed,
	}, nil
}

func (p *randomProvider) Create(_ context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	props, err := plugin.UnmarshalProperties(req.GetProperties(), marshal)
	if err != nil {
		return nil, err
	}
	outputs := props.Copy()
	if req.GetPreview() {
		outputs["result"] = resource.MakeComputed(resource.NewStringProperty(""))
		outputs["bcryptHash"] = resource.MakeComputed(resource.NewStringProperty(""))
	} else {
		in, err := readInputs(props)
		if err != nil {
			return nil, err
		}
		password, err := generate(in)
		if err != nil {
			return nil, err
		}
		hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
		if err != nil {
			return nil, err
		}
		outputs["result"] = resource.MakeSecret(resource.NewStringProperty(password))
		outputs["bcryptHash"] = resource.MakeSecret(resource.NewStringProperty(string(hash)))
	}
	state, err := plugin.MarshalProperties(outputs, marshal)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CreateResponse{Id: "none", Properties: state}, nil
}

// Read keeps the stored state: a random value has nothing to read back.
func (p *randomProvider) Read(_ context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	return &pulumirpc.ReadResponse{Id: req.GetId(), Properties: req.GetProperties(), Inputs: req.GetInputs()}, nil
}

func (p *randomProvider) Update(context.Context, *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	return nil, fmt.Errorf("RandomPassword is never updated in place: every input change replaces it")
}

func (p *randomProvider) Delete(context.Context, *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

// generate draws the minimum counts from each class first, fills the rest
// from every enabled class, then shuffles (crypto/rand throughout).
func generate(in passwordInputs) (string, error) {
	var all strings.Builder
	var chars []byte
	draw := func(set string, count int) error {
		for i := 0; i < count; i++ {
			n, err := rand.Int(rand.Reader, big.NewInt(int64(len(set))))
			if err != nil {
				return err
			}
			chars = append(chars, set[n.Int64()])
		}
		return nil
	}
	classes := []struct {
		on  bool
		set string
		min int
	}{
		{in.upper, upperChars, in.minUpper},
		{in.lower, lowerChars, in.minLower},
		{in.numeric, numericChars, in.minNumeric},
		{in.special, in.overrideSpecial, in.minSpecial},
	}
	for _, c := range classes {
		if !c.on || c.set == "" {
			continue
		}
		all.WriteString(c.set)
		if err := draw(c.set, c.min); err != nil {
			return "", err
		}
	}
	if err := draw(all.String(), in.length-len(chars)); err != nil {
		return "", err
	}
	for i := len(chars) - 1; i > 0; i-- {
		j, err := rand.Int(rand.Reader, big.NewInt(int64(i+1)))
		if err != nil {
			return "", err
		}
		chars[i], chars[j.Int64()] = chars[j.Int64()], chars[i]
	}
	return string(chars), nil
}
