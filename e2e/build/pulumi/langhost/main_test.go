package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func writeJSON(t *testing.T, path string, value any) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(value)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, raw, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestRequiredPackagesFromNodeModulesAboveTheProgram(t *testing.T) {
	root := t.TempDir()
	nm := filepath.Join(root, "node_modules")
	writeJSON(t, filepath.Join(nm, "@pulumi", "kubernetes", "package.json"), map[string]any{
		"name": "@pulumi/kubernetes", "version": "4.34.2",
		"pulumi": map[string]any{"resource": true, "name": "kubernetes", "version": "4.34.2"},
	})
	writeJSON(t, filepath.Join(nm, "@pulumi", "authentik", "package.json"), map[string]any{
		"name": "@pulumi/authentik", "version": "2025.12.1",
		"pulumi": map[string]any{"resource": true, "name": "terraform-provider", "version": "1.1.3",
			"parameterization": map[string]any{"name": "authentik", "version": "2025.12.1", "value": "eyJhIjoxfQ=="}},
	})
	writeJSON(t, filepath.Join(nm, "@pulumi", "pulumi", "package.json"), map[string]any{"name": "@pulumi/pulumi", "version": "3.276.0"})
	// A package.json outside node_modules is the project's own: no plugin.
	writeJSON(t, filepath.Join(root, "package.json"), map[string]any{"name": "x", "pulumi": map[string]any{"resource": true, "name": "own"}})
	program := filepath.Join(root, "e2e", "program")
	if err := os.MkdirAll(program, 0o755); err != nil {
		t.Fatal(err)
	}

	dir, err := nodeModulesRoot(program)
	if err != nil || dir != root {
		t.Fatalf("nodeModulesRoot(%s) = %s, %v; want %s", program, dir, err, root)
	}
	packages, err := packagesIn(dir, false, map[string]bool{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range packages {
		got[p.Name] = p.Version
		if p.Name == "terraform-provider" {
			if p.Parameterization == nil || p.Parameterization.Name != "authentik" || p.Parameterization.Version != "2025.12.1" ||
				string(p.Parameterization.Value) != `{"a":1}` {
				t.Errorf("parameterization = %+v", p.Parameterization)
			}
		}
	}
	want := map[string]string{"kubernetes": "v4.34.2", "terraform-provider": "v1.1.3"}
	if len(got) != len(want) || got["kubernetes"] != want["kubernetes"] || got["terraform-provider"] != want["terraform-provider"] {
		t.Errorf("packages = %v; want %v", got, want)
	}
}

func TestThirdPartyPluginWithoutNameIsAnError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "package.json")
	writeJSON(t, path, map[string]any{"name": "@acme/thing", "version": "1.0.0", "pulumi": map[string]any{"resource": true}})
	if _, err := packageDependency(path); err == nil {
		t.Fatal("want an error for a third-party plugin without pulumi.name")
	}
}

func TestProgramConfigUsesTheRuntimesKeyShape(t *testing.T) {
	got, err := programConfig(map[string]string{"homelab-sso:publicHost": "a.example", "kubernetes:context": "x"})
	if err != nil {
		t.Fatal(err)
	}
	var parsed map[string]string
	if err := json.Unmarshal([]byte(got), &parsed); err != nil {
		t.Fatal(err)
	}
	if parsed["homelab-sso:config:publicHost"] != "a.example" || parsed["kubernetes:config:context"] != "x" || len(parsed) != 2 {
		t.Errorf("programConfig = %s", got)
	}
	if _, err := programConfig(map[string]string{"no-namespace": "x"}); err == nil {
		t.Error("want an error for a key without a namespace")
	}
}
