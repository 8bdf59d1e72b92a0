import { writeFile } from 'node:fs/promises';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

/**
 * The opening lines of a results file: what it measures, the command that produced it, the date and
 * the machine facts that the figures depend on (Node version, CPU model and count).
 */
export function resultsHeader(title: string, command: string): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return [
    `# ${title}`,
    '',
    `- command: \`${command}\``,
    `- date: ${new Date().toISOString()}`,
    `- machine: Node ${process.version}, ${process.platform}/${process.arch}, ${availableParallelism()} × ${cpu}`,
    '',
  ].join('\n');
}

/** Writes `bench/results/<name>` (found from this file, so any working directory will do) and prints where. */
export async function writeResults(name: string, text: string): Promise<void> {
  const file = fileURLToPath(new URL(`../../bench/results/${name}`, import.meta.url));
  await writeFile(file, text.endsWith('\n') ? text : `${text}\n`);
  console.log(`\nwrote bench/results/${name}`);
}

/** A markdown table from a header row and body rows (cells already formatted). */
export function markdownTable(header: readonly string[], alignRight: readonly boolean[], rows: readonly string[][]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const rule = header.map((_, i) => (alignRight[i] ? '---:' : '---'));
  return [line(header), line(rule), ...rows.map(line)].join('\n');
}
