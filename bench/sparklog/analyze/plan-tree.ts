// Reads the operator tree at the top of Spark's "formatted" physical plan description (what the SQL tab shows and
// what SparkListenerSQLExecutionStart / …AdaptiveExecutionUpdate carry in physicalPlanDescription).

import { parseSize } from '../../lib/sizes.ts';

export interface PlanNode {
  readonly name: string; // "SortMergeJoin Inner", "ShuffleQueryStage"
  readonly line: string; // the whole line after the tree drawing, e.g. "ShuffleQueryStage (5), Statistics(sizeInBytes=61.0 MiB, rowCount=2.00E+6)"
  readonly sizeInBytes?: number; // from ", Statistics(sizeInBytes=…)" on query stages
  readonly children: PlanNode[];
}

export interface PlanSections {
  /** The adaptive plan after AQE ("== Final Plan ==" or, mid-run, "== Current Plan =="), else the whole tree. */
  readonly current: PlanNode | undefined;
  /** The plan before AQE ("== Initial Plan =="), when the plan is adaptive. */
  readonly initial: PlanNode | undefined;
  /** The numbered operator details below the tree ("(12) SortMergeJoin …"). */
  readonly details: string;
}

/** The "sizeInBytes=61.0 MiB" statistic on a plan line, in bytes. */
export function statisticsSize(text: string): number | undefined {
  const match = /sizeInBytes=([\d.]+\s*(?:B|KiB|MiB|GiB|TiB|PiB))/.exec(text);
  return match ? parseSize(match[1] as string) : undefined;
}

interface RawLine {
  readonly indent: number;
  readonly text: string;
}

function treeLines(lines: readonly string[]): RawLine[] {
  return lines
    .map((line) => {
      const match = /^([\s:+-]*)(.*)$/.exec(line);
      return { indent: match?.[1]?.length ?? 0, text: (match?.[2] ?? '').trim() };
    })
    .filter((l) => l.text !== '');
}

function buildTree(lines: readonly RawLine[]): PlanNode | undefined {
  let index = 0;
  function node(): PlanNode {
    const raw = lines[index++] as RawLine;
    const name = raw.text.replace(/^\*\s*/, '').replace(/\s*\(\d+\).*$/, '');
    const size = statisticsSize(raw.text);
    const children: PlanNode[] = [];
    while (index < lines.length && (lines[index] as RawLine).indent > raw.indent) children.push(node());
    return { name, line: raw.text, ...(size !== undefined ? { sizeInBytes: size } : {}), children };
  }
  return lines.length > 0 ? node() : undefined;
}

export function parsePlan(description: string): PlanSections {
  const all = description.split('\n');
  const start = all.findIndex((l) => l.startsWith('== Physical Plan =='));
  const body = all.slice(start + 1);
  const end = body.findIndex((l) => l.trim() === '');
  const tree = body.slice(0, end < 0 ? body.length : end);
  const details = end < 0 ? '' : body.slice(end).join('\n');
  // Only the outermost markers (at column 0): cached relations carry their own nested adaptive plans.
  const currentAt = tree.findIndex((l) => /^\+- == (Final|Current) Plan ==/.test(l));
  const initialAt = tree.findIndex((l) => /^\+- == Initial Plan ==/.test(l));
  if (currentAt < 0 || initialAt < 0) return { current: buildTree(treeLines(tree)), initial: undefined, details };
  return {
    current: buildTree(treeLines(tree.slice(currentAt + 1, initialAt))),
    initial: buildTree(treeLines(tree.slice(initialAt + 1))),
    details,
  };
}

export function walk(node: PlanNode | undefined, visit: (n: PlanNode) => void): void {
  if (node === undefined) return;
  visit(node);
  for (const child of node.children) walk(child, visit);
}

/** The size Spark measured for a join side: its nearest query stage with statistics. */
export function measuredSize(node: PlanNode): number | undefined {
  if (node.sizeInBytes !== undefined && /QueryStage/.test(node.name)) return node.sizeInBytes;
  for (const child of node.children) {
    const size = measuredSize(child);
    if (size !== undefined) return size;
  }
  return undefined;
}
