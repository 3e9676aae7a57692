// The official MCP TypeScript SDK's client driving `failfast mcp`, for
// server/mcp's TestTypeScriptClient:
//
//   node client.mjs FAILFAST_BINARY WORKSPACE
//
// starts the binary in WORKSPACE as an agent would (`failfast mcp` over
// stdio), lists the tools, checks, fixes (dry run, then for real), checks
// again, and makes calls that must be refused. It prints one JSON report on
// stdout; the Go test makes the assertions. The server's stderr (its logs)
// passes through to this process's stderr.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const [bin, workspace] = process.argv.slice(2);
if (!bin || !workspace) {
  console.error("usage: node client.mjs FAILFAST_BINARY WORKSPACE");
  process.exit(2);
}

// A check of a module the size of the demo takes seconds; under a loaded
// CI machine, more. The SDK's default is 60 s.
const timeout = 5 * 60 * 1000;

const transport = new StdioClientTransport({
  command: bin,
  args: ["mcp"],
  cwd: workspace,
  // The SDK passes only a few variables (HOME, PATH, ...) by default; the
  // go command also wants GOCACHE, GOFLAGS and the like when set.
  env: { ...process.env },
  stderr: "inherit",
});
const client = new Client({ name: "failfast-mcp-test", version: "1.0.0" });

// call returns what a tool call gave: isError, the text content and the
// structured content, or the protocol error (which the Go test rejects).
async function call(name, args) {
  try {
    const res = await client.callTool({ name, arguments: args }, undefined, { timeout });
    const text = (res.content ?? []).filter((c) => c.type === "text").map((c) => c.text).join("\n");
    return { name, args, isError: res.isError === true, text, structured: res.structuredContent ?? null };
  } catch (err) {
    return { name, args, protocolError: String(err && err.stack ? err.stack : err) };
  }
}

const report = {};
try {
  await client.connect(transport);
  report.server = client.getServerVersion();
  report.instructions = client.getInstructions() ?? "";
  const { tools } = await client.listTools();
  report.tools = tools.map((t) => ({ name: t.name, inputSchema: t.inputSchema, hasOutputSchema: !!t.outputSchema, description: t.description }));

  report.check1 = await call("check", {});
  const fixable = [
    ...new Set(((report.check1.structured ?? {}).findings ?? []).filter((f) => f.fixes.length > 0).map((f) => f.file)),
  ].sort();
  report.fixable = fixable;
  report.dryRun = await call("fix", { files: fixable, dryRun: true });
  report.fix = await call("fix", { files: fixable });
  report.check2 = await call("check", { paths: ["./..."] });
  report.explain = await call("explain", { rule: "unchecked-type-assertion" });

  report.refused = [];
  for (const [name, args] of [
    ["check", { paths: ["../../etc/passwd"] }],
    ["check", { paths: ["/etc/passwd"] }],
    ["check", { paths: ["/etc"] }],
    ["fix", { files: ["../../etc/passwd"] }],
    ["fix", { files: ["/etc/passwd"] }],
    ["fix", { files: ["handlers.go", "../outside/handlers.go"] }],
    ["fix", { files: ["linked/handlers.go"] }],
    ["check", { paths: ["linked"] }],
    ["explain", { rule: "no-such-rule" }],
    ["check", { paths: "./..." }],
    ["check", { paths: ["./..."], format: "sarif" }],
    ["fix", { files: ["handlers.go"], dryRun: "no" }],
  ]) {
    report.refused.push(await call(name, args));
  }
} catch (err) {
  report.error = String(err && err.stack ? err.stack : err);
} finally {
  try {
    await client.close();
  } catch (err) {
    report.closeError = String(err);
  }
}
process.stdout.write(JSON.stringify(report, null, 2) + "\n");
