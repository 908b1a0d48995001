/**
 * The project stands alone: no doc, comment or workflow points to material outside the repository
 * that a reader cannot open (the reference files the program was first written from). Citing upstream
 * projects by repository and path, or by URL, is fine. Every relative link of the Markdown documents
 * resolves: the file exists, and a `#fragment` names a heading of it as GitHub derives anchors.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "./support/stacks";

/** Pointers to files outside the repository. */
const OUTSIDE = [/\.\.\/shared\//, /\/work\/shared/, /current-system\.md/, /authentik-sdk\.md/, /seed\/authentik-sso/, /seed table/i];

function files(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            // reports/ holds Stryker's record: copies of the sources checked here; .stryker-tmp its sandboxes.
            return ["node_modules", ".git", "out", ".tools", "bin", "reports", ".stryker-tmp"].includes(entry.name) ? [] : files(full);
        }
        return /\.(ts|js|md|ya?ml|json)$/.test(entry.name) && entry.name !== "package-lock.json" ? [full] : [];
    });
}

describe("docs and code stand alone", () => {
    it("point to nothing outside the repository", () => {
        const self = path.resolve(__filename);
        const hits = files(ROOT)
            .filter((file) => path.resolve(file) !== self)
            .flatMap((file) =>
                fs
                    .readFileSync(file, "utf8")
                    .split("\n")
                    .map((line, i) => ({ line, at: `${path.relative(ROOT, file)}:${i + 1}` }))
                    .filter(({ line }) => OUTSIDE.some((pattern) => pattern.test(line)))
                    .map(({ line, at }) => `${at}: ${line.trim()}`),
            );
        expect(hits).to.deep.equal([]);
    });

    it("link only to files and headings that exist", () => {
        const documents = files(ROOT).filter((file) => file.endsWith(".md"));
        expect(documents.map((file) => path.relative(ROOT, file))).to.include.members(["README.md", path.join("docs", "testing.md")]);
        const broken: string[] = [];
        let checked = 0;
        for (const file of documents) {
            for (const { target, at } of markdownLinks(fs.readFileSync(file, "utf8"))) {
                if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
                    continue; // https:, mailto: and the like
                }
                checked++;
                const [pathPart, fragment] = target.split("#", 2) as [string, string | undefined];
                const resolved = pathPart === "" ? file : path.resolve(path.dirname(file), decodeURI(pathPart));
                const where = `${path.relative(ROOT, file)}:${at}: ${target}`;
                if (!fs.existsSync(resolved)) {
                    broken.push(`${where} (no such file)`);
                } else if (fragment !== undefined && resolved.endsWith(".md") && !headingAnchors(fs.readFileSync(resolved, "utf8")).has(fragment)) {
                    broken.push(`${where} (no such heading)`);
                }
            }
        }
        expect(checked).to.be.greaterThan(50);
        expect(broken).to.deep.equal([]);
    });
});

/** The targets of the inline links `[text](target)` of a Markdown text, outside code blocks and code spans, with their line. */
function markdownLinks(text: string): { target: string; at: number }[] {
    const links: { target: string; at: number }[] = [];
    let fence: string | undefined;
    text.split("\n").forEach((line, i) => {
        const opening = /^\s*(`{3,}|~{3,})/.exec(line);
        if (opening && (fence === undefined || opening[1].startsWith(fence))) {
            fence = fence === undefined ? opening[1] : undefined;
            return;
        }
        if (fence !== undefined) {
            return;
        }
        const prose = line.replace(/(`+)[\s\S]*?\1/g, "");
        for (const m of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
            links.push({ target: m[1], at: i + 1 });
        }
    });
    return links;
}

/** The anchors GitHub gives a Markdown text's headings: lower case, punctuation dropped, spaces as `-`, repeats numbered. */
function headingAnchors(text: string): Set<string> {
    const anchors = new Set<string>();
    const seen = new Map<string, number>();
    let fence = false;
    for (const line of text.split("\n")) {
        if (/^\s*(`{3,}|~{3,})/.test(line)) {
            fence = !fence;
        }
        const heading = fence ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
        if (heading) {
            const base = heading[1]
                .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
                .toLowerCase()
                .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
                .replace(/ /g, "-");
            const count = seen.get(base) ?? 0;
            seen.set(base, count + 1);
            anchors.add(count === 0 ? base : `${base}-${count}`);
        }
    }
    return anchors;
}
