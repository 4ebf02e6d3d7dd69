#!/usr/bin/env node
// The `lakestate` command for Node: Node 20 cannot run TypeScript itself, so this bootstrap
// registers tsx's loader and hands over to the TypeScript CLI entry.
import { register } from "tsx/esm/api";

register();
const { runNodeCli } = await import("../src/cli/node_main.ts");
process.exitCode = await runNodeCli(process.argv.slice(2));
