// Prints the longest function bodies (own lines: nested function bodies subtracted).
import ts from 'typescript';
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
const files = execSync("git ls-files 'db/*.ts' 'electron/*.ts' 'renderer/*.ts' 'renderer/*.tsx' 'bench/*.ts'", { encoding: 'utf8' }).split('\n').filter(Boolean);
const out = [];
for (const f of files) {
  const src = ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, true, f.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const lines = (n) => src.getLineAndCharacterOfPosition(n.getEnd()).line - src.getLineAndCharacterOfPosition(n.getStart()).line + 1;
  const isFn = (n) => ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isMethodDeclaration(n);
  const visit = (n) => {
    if (isFn(n) && n.body) {
      let nested = 0;
      const inner = (c) => { if (isFn(c) && c.body) { nested += lines(c.body); return; } ts.forEachChild(c, inner); };
      ts.forEachChild(n.body, inner);
      let name = n.name?.getText?.() ?? (ts.isVariableDeclaration(n.parent) ? n.parent.name.getText() : ts.isPropertyAssignment(n.parent) ? n.parent.name.getText() : '<anon>');
      out.push([lines(n.body) - nested, `${f}:${src.getLineAndCharacterOfPosition(n.getStart()).line + 1} ${name}`]);
    }
    ts.forEachChild(n, visit);
  };
  visit(src);
}
out.sort((a, b) => b[0] - a[0]);
for (const [n, w] of out.slice(0, +(process.argv[2] ?? 10))) console.log(String(n).padStart(5), w);
console.log('functions over 100 own lines:', out.filter(([n]) => n > 100).length);
