import { describe, expect, test } from 'vitest';
import { alwaysPatternFor, effectiveCommand, splitBashCommands } from '../../../agents/bash-commands.js';

describe('splitBashCommands', () => {
  test.each([
    ['single command', 'git status', ['git status']],
    ['extra whitespace is normalised', '  ls    -la   src ', ['ls -la src']],
    ['and, pipe', 'a && b | c', ['a', 'b', 'c']],
    ['semicolons', 'cd src; ls; pwd', ['cd src', 'ls', 'pwd']],
    ['or', 'make test || echo failed', ['make test', 'echo failed']],
    ['background and |&', 'server & curl localhost |& tee log', ['server', 'curl localhost', 'tee log']],
    ['newlines separate commands', 'ls\nrm -rf build', ['ls', 'rm -rf build']],
    ['line continuation joins', 'npm run \\\n  build', ['npm run build']],
    ['subshell', '(cd web && npm ci) || exit 1', ['cd web', 'npm ci', 'exit 1']],
    ['command substitution', 'echo $(rm -rf /) done', ['echo $(rm -rf /) done', 'rm -rf /']],
    ['substitution inside double quotes', 'echo "today is $(date)"', ['echo today is $(date)', 'date']],
    ['backticks', 'echo `whoami`', ['echo `whoami`', 'whoami']],
    ['nested substitution', 'a $(b $(c))', ['a $(b $(c))', 'b $(c)', 'c']],
    ['process substitution', 'diff <(ls a) <(ls b)', ['diff <(ls a) <(ls b)', 'ls a', 'ls b']],
    ['quoted && is not split', 'echo "a && b"; ls', ['echo a && b', 'ls']],
    ['single-quoted operators stay literal', "grep -E 'x|y' file.txt", ['grep -E x|y file.txt']],
    ['single-quoted $() is not run', "echo '$(rm -rf /)'", ['echo $(rm -rf /)']],
    ['quotes are removed', 'git commit -m "fix: handle empty input"', ['git commit -m fix: handle empty input']],
    ['escaped operator is literal', 'echo a \\&\\& b', ['echo a && b']],
    ['variables kept as written', 'rm -rf $HOME/${DIR} $((1 + 2))', ['rm -rf $HOME/${DIR} $((1 + 2))']],
    ['redirections are kept', 'ls > out.txt 2>&1', ['ls > out.txt 2>&1']],
    ['&> redirection', 'make &> build.log', ['make &> build.log']],
    ['comments are dropped', 'ls # list files && rm x', ['ls']],
    ['heredoc bodies are not commands', 'cat <<EOF > notes.md\nrm -rf /\nEOF\nls', ['cat << EOF > notes.md', 'ls']],
    ['substitution inside ${...} still runs', 'echo ${NAME:-$(rm -rf /)}', ['echo ${NAME:-$(rm -rf /)}', 'rm -rf /']],
    ['substitution inside $((...)) still runs', 'echo $(( $(id -u) + 1 ))', ['echo $(( $(id -u) + 1 ))', 'id -u']],
    ['unquoted heredoc runs its substitutions', 'cat <<EOF\nuser: $(whoami)\nEOF', ['cat << EOF', 'whoami']],
    ['quoted heredoc is literal', "cat <<'EOF'\n$(whoami) \\\nEOF\nls", ['cat << EOF', 'ls']],
    ['control keywords are dropped', 'if test -f x; then rm x; fi', ['test -f x', 'rm x']],
    ['loop headers are dropped', 'for f in *.ts; do wc -l $f; done', ['wc -l $f']],
    ['brace group', '{ echo a; echo b; } > out', ['echo a', 'echo b', '> out']],
    ['empty input', '   ', []],
  ])('%s', (_name, command, expected) => {
    expect(splitBashCommands(command)).toEqual(expected);
  });
});

describe('alwaysPatternFor', () => {
  test.each([
    ['git status', 'git status *'],
    ['git status --short', 'git status *'],
    ['npm run build', 'npm run *'],
    ['npm test', 'npm test *'],
    ['ls -la', 'ls *'],
    ['ls src', 'ls *'],
    ['rm dist', 'rm *'],
    ['cat README.md', 'cat *'],
    ['python script.py', 'python *'],
    ['docker compose up -d', 'docker compose *'],
    ['  git   log  -5 ', 'git log *'],
    ['make', 'make *'],
  ])('%s → %s', (command, expected) => {
    expect(alwaysPatternFor(command)).toBe(expected);
  });
});

describe('the command a sub-command really runs', () => {
  test.each([
    ['FOO=1 git push origin', 'git push origin'],
    ['env git push', 'git push'],
    ['FOO=1 BAR=2 command nohup git push', 'git push'],
    ['sudo -E rm -rf build', 'rm -rf build'],
    ['git status', 'git status'],
    ['env', 'env'],
  ])('%s → %s', (command, effective) => {
    expect(effectiveCommand(command)).toBe(effective);
  });
});
