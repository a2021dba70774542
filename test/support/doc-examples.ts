// The examples of a Markdown document that CI runs: every fenced block directly preceded by the
// marker line `<!-- example -->` (or `<!-- example: file-name -->` for a file the block is saved as).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface DocExample {
  /** The document, relative to the repository. */
  document: string;
  /** The fence's language (`sh`, `console`, `js`, …). */
  lang: string;
  /** The file name the marker gives, if any. */
  file: string | undefined;
  /** The block's text, without the fences. */
  code: string;
  /** The line of the opening fence (1-based). */
  line: number;
}

const MARKER = /^<!--\s*example(?::\s*(\S+))?\s*-->\s*$/;

export function docExamples(document: string): DocExample[] {
  const text = readFileSync(fileURLToPath(new URL(`../../${document}`, import.meta.url)), 'utf8');
  const lines = text.split('\n');
  const examples: DocExample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const marker = MARKER.exec(lines[i]!);
    if (!marker) continue;
    const fence = /^(```+)(\w*)/.exec(lines[i + 1] ?? '');
    if (!fence) throw new Error(`${document}:${i + 1}: the example marker is not followed by a fenced block`);
    const end = lines.findIndex((line, j) => j > i + 1 && line.startsWith(fence[1]!));
    if (end === -1) throw new Error(`${document}:${i + 2}: the fenced block does not end`);
    examples.push({
      document,
      lang: fence[2]!,
      file: marker[1],
      code: lines.slice(i + 2, end).join('\n'),
      line: i + 2,
    });
    i = end;
  }
  return examples;
}

export interface ConsoleCommand {
  /** The command as typed (continuation lines joined), without the prompt. */
  command: string;
  /** The output the document shows after it. */
  shown: string[];
  line: number;
}

/**
 * The commands of a `console` block (lines starting with `$ `, continued by a trailing `\` or by
 * the lines of a here-document) with the output shown under each.
 */
export function consoleCommands(example: DocExample): ConsoleCommand[] {
  const commands: ConsoleCommand[] = [];
  const lines = example.code.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('$ ')) {
      let command = line.slice(2);
      const first = i;
      while (command.endsWith('\\') && i + 1 < lines.length) command = `${command}\n${lines[++i]}`;
      const heredoc = /<<-?'?(\w+)'?/.exec(command);
      if (heredoc)
        while (i + 1 < lines.length) {
          command = `${command}\n${lines[++i]}`;
          if (lines[i] === heredoc[1]) break;
        }
      commands.push({ command, shown: [], line: example.line + 1 + first });
    } else if (commands.length && line.trim() !== '') commands.at(-1)!.shown.push(line);
  }
  return commands;
}
