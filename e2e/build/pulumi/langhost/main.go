// Command pulumi-language-nodejs is the e2e's Node.js language host.
//
// The Go module proxy does not serve Pulumi's own language host module
// (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3), so the
// e2e builds this one against the served sdk/v3. It does what the engine
// needs for `pulumi preview/up/refresh/destroy` of a program whose
// node_modules are already installed:
//   - GetRequiredPackages: every node_modules package.json with a
//     `pulumi.resource` block (name, version, parameterization), as the
//     engine's plugin loader expects them;
//   - Run: starts `node @pulumi/pulumi/cmd/run` with the monitor, engine,
//     project, stack and config the engine hands over, in the environment
//     variables @pulumi/pulumi's runtime reads.
//
// Not implemented (the engine answers Unimplemented): installing
// dependencies, code generation, packing, debugging, synchronous invokes
// (the deprecated `--sync` pipes) and `pulumi about` details.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// version is set at build time (-ldflags -X main.version=...).
var version = "0.0.0-dev"

// exitAfterUserMessage is the exit code @pulumi/pulumi's runner uses when it
// has already printed an actionable error: the engine then bails quietly.
const exitAfterUserMessage = 32

type languageHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engineAddress string
}

func main() {
	showVersion := flag.Bool("version", false, "print the version and exit")
	flag.String("tracing", "", "accepted for compatibility; tracing is not emitted")
	flag.String("runtime", "nodejs", "accepted for compatibility; only nodejs is supported")
	flag.Parse()
	if *showVersion {
		fmt.Println(version)
		return
	}
	host := &languageHost{}
	if flag.NArg() > 0 {
		host.engineAddress = flag.Arg(0)
	}

	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	defer cancel()
	stop := make(chan bool)
	go func() { <-ctx.Done(); close(stop) }()
	if host.engineAddress != "" {
		if err := rpcutil.Healthcheck(ctx, host.engineAddress, 5*time.Minute, cancel); err != nil {
			fail(fmt.Errorf("engine health check: %w", err))
		}
	}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: stop,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
	})
	if err != nil {
		fail(fmt.Errorf("serve: %w", err))
	}
	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fail(fmt.Errorf("serving stopped: %w", err))
	}
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
	os.Exit(1)
}

func (h *languageHost) Handshake(ctx context.Context,
	req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.engineAddress = req.GetEngineAddress()
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *languageHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

func (h *languageHost) GetProgramDependencies(context.Context,
	*pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

func (h *languageHost) GetRequiredPackages(ctx context.Context,
	req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	dir, err := nodeModulesRoot(req.GetInfo().GetProgramDirectory())
	if err != nil {
		return nil, err
	}
	packages, err := packagesIn(dir, false, map[string]bool{})
	if err != nil {
		return nil, err
	}
	return &pulumirpc.GetRequiredPackagesResponse{Packages: packages}, nil
}

// nodeModulesRoot is the nearest of dir and its parents holding node_modules,
// where node resolves the program's packages from (an entry program in a
// subfolder, like e2e/program, uses the repository's node_modules).
func nodeModulesRoot(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for current := abs; ; current = filepath.Dir(current) {
		if _, err := os.Stat(filepath.Join(current, "node_modules")); err == nil {
			return current, nil
		}
		if filepath.Dir(current) == current {
			return abs, nil
		}
	}
}

// packageJSON holds the fields of a node_modules package.json that name a
// resource plugin.
type packageJSON struct {
	Name    string                  `json:"name"`
	Version string                  `json:"version"`
	Pulumi  plugin.PulumiPluginJSON `json:"pulumi"`
}

// packagesIn walks dir's node_modules (following symlinks once per target)
// and returns the resource plugins their package.json files declare.
func packagesIn(dir string, inNodeModules bool, seen map[string]bool) ([]*pulumirpc.PackageDependency, error) {
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil, fmt.Errorf("resolving %s: %w", dir, err)
	}
	if seen[real] {
		return nil, nil
	}
	seen[real] = true
	entries, err := os.ReadDir(real)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", real, err)
	}
	var found []*pulumirpc.PackageDependency
	for _, entry := range entries {
		path := filepath.Join(real, entry.Name())
		info, err := os.Stat(path)
		if err != nil {
			continue // a dangling link is not a package
		}
		if info.IsDir() {
			// Outside node_modules only node_modules itself matters.
			if !inNodeModules && entry.Name() != "node_modules" {
				continue
			}
			more, err := packagesIn(path, true, seen)
			if err != nil {
				return nil, err
			}
			found = append(found, more...)
			continue
		}
		if !inNodeModules || entry.Name() != "package.json" {
			continue
		}
		dep, err := packageDependency(path)
		if err != nil {
			return nil, err
		}
		if dep != nil {
			found = append(found, dep)
		}
	}
	return found, nil
}

// packageDependency reads one package.json; nil when it declares no plugin.
func packageDependency(path string) (*pulumirpc.PackageDependency, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var info packageJSON
	if err := json.Unmarshal(raw, &info); err != nil {
		// Test fixtures inside dependencies are not always valid JSON; they
		// declare no plugin either.
		return nil, nil
	}
	if !info.Pulumi.Resource {
		return nil, nil
	}
	name := info.Pulumi.Name
	if name == "" {
		if !strings.HasPrefix(info.Name, "@pulumi/") {
			return nil, fmt.Errorf("%s: a third-party plugin needs pulumi.name", path)
		}
		name = strings.TrimPrefix(info.Name, "@pulumi/")
	}
	pluginVersion := info.Pulumi.Version
	if pluginVersion == "" {
		pluginVersion = info.Version
	}
	if pluginVersion == "" {
		return nil, fmt.Errorf("%s: no version", path)
	}
	if !strings.HasPrefix(pluginVersion, "v") {
		pluginVersion = "v" + pluginVersion
	}
	dep := &pulumirpc.PackageDependency{
		Name: name, Kind: "resource", Version: pluginVersion, Server: info.Pulumi.Server,
	}
	if p := info.Pulumi.Parameterization; p != nil {
		dep.Parameterization = &pulumirpc.PackageParameterization{Name: p.Name, Version: p.Version, Value: p.Value}
	}
	return dep, nil
}

func (h *languageHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	node, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: "could not find node on the PATH: " + err.Error()}, nil
	}
	runPath, err := resolveRunner(node, info.GetProgramDirectory())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	options := info.GetOptions().AsMap()

	configJSON, err := programConfig(req.GetConfig())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	secretKeys, err := json.Marshal(append([]string{}, req.GetConfigSecretKeys()...))
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	env := append(os.Environ(), "PULUMI_CONFIG="+configJSON, "PULUMI_CONFIG_SECRET_KEYS="+string(secretKeys))
	if typescript, set := options["typescript"].(bool); !set || typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if tsconfig, set := options["tsconfig"].(string); set && tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+tsconfig)
	}

	var args []string
	if nodeargs, set := options["nodeargs"].(string); set {
		args = append(args, strings.Fields(nodeargs)...)
	}
	args = append(args, runPath)
	add := func(flagName, value string) {
		if value != "" {
			args = append(args, "--"+flagName, value)
		}
	}
	// The program talks to the engine's monitor directly (the upstream host
	// proxies it only to serve synchronous invokes).
	add("monitor", req.GetMonitorAddress())
	add("engine", h.engineAddress)
	add("organization", req.GetOrganization())
	add("project", req.GetProject())
	add("root-directory", info.GetRootDirectory())
	add("stack", req.GetStack())
	add("pwd", info.GetProgramDirectory())
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	add("parallel", strconv.Itoa(int(req.GetParallel())))
	args = append(args, info.GetEntryPoint())
	args = append(args, req.GetArgs()...)

	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = info.GetProgramDirectory()
	cmd.Env = env
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			if exitErr.ExitCode() == exitAfterUserMessage {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{
				Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode()),
			}, nil
		}
		return &pulumirpc.RunResponse{Error: "could not run node: " + err.Error()}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

// resolveRunner finds @pulumi/pulumi's runner as the program's node would.
func resolveRunner(node, programDir string) (string, error) {
	cmd := exec.Command(node, "-e", `console.log(require.resolve("@pulumi/pulumi/cmd/run"))`)
	cmd.Dir = programDir
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("@pulumi/pulumi is not installed in %s (run npm install): %w", programDir, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// programConfig turns the engine's "ns:key" config into the
// "ns:config:key" map @pulumi/pulumi reads from PULUMI_CONFIG.
func programConfig(values map[string]string) (string, error) {
	out := make(map[string]string, len(values))
	for k, v := range values {
		key, err := config.ParseKey(k)
		if err != nil {
			return "", fmt.Errorf("config key %q: %w", k, err)
		}
		out[key.Namespace()+":config:"+key.Name()] = v
	}
	raw, err := json.Marshal(out)
	return string(raw), err
}
