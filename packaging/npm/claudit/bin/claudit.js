#!/usr/bin/env node
// claudit's npm launcher: runs the native binary of this platform, shipped in
// its own package (@claudit/cli-<os>-<cpu>, an optional dependency that npm
// installs only where os and cpu match), the way esbuild and Biome do it. No
// postinstall step and no download: the binary comes from the registry like
// any package file. CLAUDIT_BINARY names another binary to run instead.
"use strict";
const { spawnSync } = require("child_process");
const path = require("path");

const PLATFORMS = {
  "linux-x64": "@claudit/cli-linux-x64",
  "linux-arm64": "@claudit/cli-linux-arm64",
  "darwin-arm64": "@claudit/cli-darwin-arm64",
  "darwin-x64": "@claudit/cli-darwin-x64",
};

function binary() {
  if (process.env.CLAUDIT_BINARY) return process.env.CLAUDIT_BINARY;
  const key = `${process.platform}-${process.arch}`;
  const pkg = PLATFORMS[key];
  if (!pkg) {
    fail(`no prebuilt claudit for ${key}; build it from source (see the README, "Building from source")`);
  }
  try {
    return require.resolve(`${pkg}/bin/claudit`);
  } catch (e) {
    fail(`${pkg} is not installed: it is an optional dependency of claudit, ` +
      `skipped by --omit=optional or --no-optional; reinstall without that flag`);
  }
}

function fail(message) {
  process.stderr.write(`claudit: ${message}\n`);
  process.exit(2);
}

const bin = binary();
const r = spawnSync(bin, process.argv.slice(2), { stdio: "inherit" });
if (r.error) fail(`cannot run ${path.basename(bin)}: ${r.error.message}`);
if (r.signal) {
  process.kill(process.pid, r.signal);
} else {
  process.exit(r.status === null ? 2 : r.status);
}
