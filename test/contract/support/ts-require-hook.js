'use strict';
/**
 * Lets a plain `node` child process load the TypeScript sources of this repository, so the two-process
 * test drives the real adapter rather than a copy: `.ts` files are transpiled on load with the
 * `typescript` package (no type check) and `@strata/<lib>` resolves through tsconfig's path aliases.
 * Usage: node --require ./test/contract/support/ts-require-hook.js script.js
 */
const Module = require('node:module');
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const root = path.resolve(__dirname, '../../..');
const tsconfig = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile).config;
const compilerOptions = {
  ...ts.convertCompilerOptionsFromJson(tsconfig.compilerOptions, root).options,
  module: ts.ModuleKind.CommonJS,
  sourceMap: false,
  inlineSourceMap: true,
};

require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
  module._compile(outputText, filename);
};

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
