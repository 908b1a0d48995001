package main

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

func TestGenerateHonoursClassesAndMinimums(t *testing.T) {
	in := passwordInputs{length: 40, upper: true, lower: true, numeric: true, special: false,
		minUpper: 5, minNumeric: 7, overrideSpecial: defaultSpecialChars}
	for i := 0; i < 50; i++ {
		p, err := generate(in)
		if err != nil {
			t.Fatal(err)
		}
		if len(p) != 40 {
			t.Fatalf("length %d", len(p))
		}
		count := func(set string) int {
			n := 0
			for _, c := range p {
				if strings.ContainsRune(set, c) {
					n++
				}
			}
			return n
		}
		if count(upperChars) < 5 || count(numericChars) < 7 || count(defaultSpecialChars) != 0 {
			t.Fatalf("%q breaks the classes", p)
		}
	}
	a, _ := generate(in)
	b, _ := generate(in)
	if a == b {
		t.Error("two draws gave the same password")
	}
}

func TestReadInputsReportsEveryProblem(t *testing.T) {
	_, err := readInputs(resource.PropertyMap{
		"length": resource.NewNumberProperty(2), "minUpper": resource.NewNumberProperty(3),
	})
	if err == nil || !strings.Contains(err.Error(), "sum of the min") || !strings.Contains(err.Error(), "at least one of") {
		t.Fatalf("err = %v", err)
	}
}
