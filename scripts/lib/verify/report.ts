/** The end of a verify run: a text table, Markdown (for the health issue), or JSON. */
import type { CheckResult } from "./checks";
import type { VerifyClient } from "./outputs";

export interface VerifyReport {
    /** Where the outputs came from: `stack prod` or `file outputs.json`. */
    source: string;
    clients: VerifyClient[];
    results: CheckResult[];
}

export function summarize(results: CheckResult[]): { passed: number; failed: number; skipped: number; ok: boolean } {
    const passed = results.filter((r) => r.status === "pass").length;
    const failed = results.filter((r) => r.status === "fail").length;
    const skipped = results.filter((r) => r.status === "skip").length;
    // A check that runs only where its host answers (dex-discovery) does not make a run fail by being skipped.
    const blockingSkips = results.filter((r) => r.status === "skip" && !r.optional).length;
    return { passed, failed, skipped, ok: failed === 0 && blockingSkips === 0 };
}

function summaryLine(report: VerifyReport): string {
    const s = summarize(report.results);
    const counts = `${report.results.length} checks of ${report.clients.length} client(s): ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped.`;
    return s.ok ? `${counts} SSO works.` : `${counts} SSO is broken: see the cause and fix of each failure.`;
}

const RESULT_WORD: { [status in CheckResult["status"]]: string } = { pass: "pass", fail: "FAIL", skip: "skip" };

export function formatTable(report: VerifyReport): string {
    const header = ["CLIENT", "CHECK", "RESULT"];
    const clientWidth = Math.max(header[0].length, ...report.results.map((r) => r.client.length));
    const checkWidth = Math.max(header[1].length, ...report.results.map((r) => r.check.length));
    const resultWidth = 6;
    const indent = " ".repeat(clientWidth + checkWidth + resultWidth + 6);
    const row = (client: string, check: string, result: string, detail: string) =>
        `${client.padEnd(clientWidth)}  ${check.padEnd(checkWidth)}  ${result.padEnd(resultWidth)}  ${detail}`.trimEnd();
    const lines = [row(header[0], header[1], header[2], "DETAIL")];
    for (const r of report.results) {
        lines.push(row(r.client, r.check, RESULT_WORD[r.status], r.detail));
        if (r.status === "fail") {
            lines.push(`${indent}cause: ${r.cause}`);
            lines.push(`${indent}fix:   ${r.fix}`);
        }
    }
    lines.push("", summaryLine(report));
    return `${lines.join("\n")}\n`;
}

function cell(text: string): string {
    return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

export function formatMarkdown(report: VerifyReport): string {
    const lines = [
        `**${summaryLine(report)}** (outputs from ${report.source})`,
        "",
        "| Client | Check | Result | Detail | Likely cause | Fix |",
        "| --- | --- | --- | --- | --- | --- |",
    ];
    for (const r of report.results) {
        const result = r.status === "fail" ? "**FAIL**" : r.status;
        lines.push(`| ${cell(r.client)} | ${r.check} | ${result} | ${cell(r.detail)} | ${cell(r.cause ?? "")} | ${cell(r.fix ?? "")} |`);
    }
    return `${lines.join("\n")}\n`;
}

export function formatJson(report: VerifyReport): string {
    const s = summarize(report.results);
    return `${JSON.stringify(
        {
            ok: s.ok,
            source: report.source,
            summary: { checks: report.results.length, passed: s.passed, failed: s.failed, skipped: s.skipped },
            clients: report.clients.map((c) => ({ client: c.label, clientId: c.clientId, clientType: c.clientType, issuer: c.issuer })),
            results: report.results,
        },
        null,
        2,
    )}\n`;
}
