// The start of dist/kong-session.cjs (see build-runtime.mjs): it runs the bundled program, which
// follows in a comment at the end of the same file, through V8's code cache.
//
// Compiling the ~300 KiB program, and lazily compiling the functions one action runs, is a large
// part of the start-up of this short-lived process. V8 can save that work (bytecode of every function
// compiled so far) and reuse it: the first run of an action saves it after its work is done, in a
// directory of the user's own under the OS temp directory; later runs load it. V8 checks a cache
// against its own version, flags and the source before using it and ignores a stale one; the file
// name holds the program's hash, so a new version of the program never reads an old cache. The cache
// is only an optimization: when the directory cannot be trusted (not ours, not private, a link) or
// written, or on a platform without user ids, the program compiles as usual and nothing is saved.
"use strict";
(function kongSessionLoader() {
  const fs = require("node:fs");
  const path = require("node:path");

  // undici parses HTTP with llhttp compiled to WebAssembly; V8 then optimizes the parser on a
  // background thread and Node waits for that job at exit (~200 ms this program never needs).
  // `--liftoff-only` skips it; set before compiling, as the code cache records the flags. Only on
  // the V8 versions of Node 20 to 24, which know the flag (src/runtime/main.ts does the same).
  const v8Major = Number(process.versions.v8.split(".")[0]);
  if (v8Major >= 11 && v8Major <= 13) {
    try {
      require("node:v8").setFlagsFromString("--liftoff-only");
    } catch {
      // an optimization only
    }
  }

  // the program: after the marker, up to the comment's end; "*/" inside it was written as "*\0/"
  const text = fs.readFileSync(__filename, "latin1");
  const marker = "/*" + "\0" + "kong-session-program\n";
  const source = text.slice(text.indexOf(marker) + marker.length, text.lastIndexOf("*/")).replaceAll("*\0/", "*/");

  const cache = cacheLocation();
  let cachedData;
  if (cache && isPrivateDir(cache.dir)) {
    try {
      cachedData = fs.readFileSync(cache.file);
    } catch {
      // none yet
    }
  }
  const vm = require("node:vm");
  const script = new vm.Script(source, { filename: __filename, cachedData });
  if (cache && (cachedData === undefined || script.cachedDataRejected)) process.once("beforeExit", () => save(cache, script));
  script.runInThisContext().call(module.exports, module.exports, require, module, __filename, __dirname);

  /** One cache file per program, Node version, architecture and action (they compile different code). */
  function cacheLocation() {
    const action = process.argv[2];
    if (require.main !== module || typeof process.getuid !== "function") return undefined;
    if (action !== "apply" && action !== "delete" && action !== "reap") return undefined;
    const dir = path.join(require("node:os").tmpdir(), `kong-cdktf-gateway-${process.getuid()}`);
    return { dir, file: path.join(dir, `${"__PROGRAM_HASH__"}-${process.version}-${process.arch}-${action}.v8cache`) };
  }

  /** A directory (not a link) of this user that no one else can write to. */
  function isPrivateDir(dir) {
    try {
      const stat = fs.lstatSync(dir);
      return stat.isDirectory() && stat.uid === process.getuid() && (stat.mode & 0o022) === 0;
    } catch {
      return false;
    }
  }

  function save({ dir, file }, compiled) {
    const temp = `${file}.${process.pid}.tmp`;
    try {
      try {
        fs.mkdirSync(dir, { mode: 0o700 });
      } catch {
        // exists already: checked below
      }
      if (!isPrivateDir(dir)) return;
      fs.writeFileSync(temp, compiled.createCachedData(), { mode: 0o600, flag: "wx" });
      fs.renameSync(temp, file);
    } catch {
      try {
        fs.unlinkSync(temp);
      } catch {
        // nothing to remove
      }
    }
  }
})();
