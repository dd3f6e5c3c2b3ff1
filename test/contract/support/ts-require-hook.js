'use strict';
/**
 * Lets a plain `node` child process load the TypeScript sources of this repository, so the two-process
 * test drives the real adapter rather than a copy: `.ts` files are transpiled on load with the
 * `typescript` package (no type check) and `@strata/<lib>` resolves through tsconfig's path aliases.
 * Usage: node --require ./test/contract/support/ts-require-hook.js script.js
 */
const Module = require('node:module');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { threadId } = require('node:worker_threads');

const root = path.resolve(__dirname, '../../..');
const tsconfigText = fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8');

// Transpiled files are cached by content (a child restarted many times, as in the crash test, loads
// in a fraction of the time); `typescript` itself is loaded only on a cache miss.
const cacheDir = path.join(os.tmpdir(), 'strata-ts-require-cache');
let compiler = null;
const transpile = (source, filename) => {
  if (!compiler) {
    const ts = require('typescript');
    const tsconfig = ts.parseConfigFileTextToJson('tsconfig.json', tsconfigText).config;
    const compilerOptions = {
      ...ts.convertCompilerOptionsFromJson(tsconfig.compilerOptions, root).options,
      module: ts.ModuleKind.CommonJS,
      sourceMap: false,
      inlineSourceMap: true,
    };
    compiler = (text, name) => ts.transpileModule(text, { compilerOptions, fileName: name }).outputText;
  }
  return compiler(source, filename);
};

require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const key = crypto.createHash('sha1').update(tsconfigText).update('\0').update(filename).update('\0').update(source).digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  let outputText;
  try {
    outputText = fs.readFileSync(cached, 'utf8');
  } catch {
    outputText = transpile(source, filename);
    fs.mkdirSync(cacheDir, { recursive: true });
    // Threads of one process share its pid, and two of them may transpile the same file at once.
    const temporary = `${cached}.${process.pid}.${threadId}.tmp`;
    fs.writeFileSync(temporary, outputText);
    fs.renameSync(temporary, cached);
  }
  module._compile(outputText, filename);
};

const tsconfig = JSON.parse(tsconfigText.replace(/^\s*\/\/.*$/gm, ''));
const aliases = Object.entries(tsconfig.compilerOptions.paths ?? {}).map(([pattern, [target]]) => ({
  prefix: pattern.replace(/\*$/, ''),
  wildcard: pattern.endsWith('*'),
  target: path.join(root, target.replace(/\*$/, '')),
}));

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  for (const { prefix, wildcard, target } of aliases) {
    if (wildcard ? request.startsWith(prefix) : request === prefix) {
      return resolveFilename.call(this, wildcard ? target + request.slice(prefix.length) : target, ...rest);
    }
  }
  return resolveFilename.call(this, request, ...rest);
};
