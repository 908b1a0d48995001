// Command pulumi-resource-kubernetes serves the pulumi-kubernetes provider
// package from the Go module proxy. Its own main embeds schema files that its
// release build generates and the module does not ship; e2e/build/build.sh
// writes them beside this file, in the build copy outside the repository.
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)

//go:embed schema-embed.json
var pulumiSchema []byte

//go:embed terraform-mapping-embed.json
var terraformMapping []byte

func main() {
	provider.Serve("kubernetes", version.Version, pulumiSchema, terraformMapping)
}
