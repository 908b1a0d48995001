/** Why the pass-through allowlist refuses a path the program owns, and where a path stands. */
import { expect } from "chai";
import { ownedReason, refusedPaths, standing } from "../../stacks/passThrough";

const KPS = "kube-prometheus-stack";
const ARGO = "argo-cd";
const PROGRAM_NODE_PORTS = "is set by the program from homelab-sso:argocd.nodePorts (http, https); set them there";

describe("pass-through: what the program owns", () => {
    it("names only grafana.ini sections whose name starts with auth as login sections", () => {
        expect(ownedReason(KPS, ["grafana", "grafana.ini", "auth.generic_oauth"])).to.equal("is Grafana's [auth.generic_oauth] section, which decides who may log in; the program owns it for SSO-only login");
        expect(ownedReason(KPS, ["grafana", "grafana.ini", "auth"])).to.match(/^is Grafana's \[auth\] section/);
        for (const third of ["jwt_auth", "authx", undefined]) {
            expect(ownedReason(KPS, ["grafana", "grafana.ini", ...(third === undefined ? [] : [third])]), String(third)).to.match(/^is a grafana\.ini section the program owns/);
        }
    });

    it("names ArgoCD's server NodePorts as the program's, and nothing else under server or service", () => {
        expect(ownedReason(ARGO, ["server", "service", "nodePortHttp"])).to.equal(PROGRAM_NODE_PORTS);
        expect(ownedReason(ARGO, ["server", "service", "nodePortHttps"])).to.equal(PROGRAM_NODE_PORTS);
        for (const segments of [["server", "service"], ["server", "service", "type"], ["server", "service", "httpNodePort"], ["server", "service", "extranodePort"], ["server", "ingress", "nodePortHttp"], ["repoServer", "service", "nodePortHttp"]]) {
            expect(ownedReason(ARGO, segments), segments.join(".")).to.not.equal(PROGRAM_NODE_PORTS);
        }
    });

    it("reports an empty object at a refused key (it would still replace the chart's value)", () => {
        expect(refusedPaths(KPS, { grafana: { ldap: {} } }).map((p) => p.path.join("."))).to.deep.equal(["grafana.ldap"]);
    });

    it("stands a path below an entry as allowed, above one as an ancestor, and beside one as refused", () => {
        expect(standing(KPS, ["grafana", "persistence", "size", "deeper"]).kind).to.equal("allowed");
        expect(standing(KPS, ["grafana", "persist"]).kind).to.equal("refused");
        expect(standing(KPS, ["grafana", "persistence2"]).kind).to.equal("refused");
        expect(standing(KPS, ["graf"]).kind).to.equal("refused");
    });
});
