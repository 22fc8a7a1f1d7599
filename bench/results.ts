import { existsSync, readFileSync } from 'node:fs';
import type { CpuTimes } from './cpu';
import { BenchFile } from './files';
import { median } from './floors';
import { LeadFileSize } from './gen-leads';
import { FloorRow, ProbeRow, ResultRow, TargetRow } from './report';
import { SCENARIOS, ScenarioRecord } from './scenarios';

/** The table line of a scenario: median wall time, and its ratio to the floors of the same file and database. */
export function toResultRow(
  record: ScenarioRecord,
  floors: FloorRow[],
  files: Record<LeadFileSize, BenchFile>,
): ResultRow {
  const size = SCENARIOS.find((s) => s.key === record.scenario)?.size ?? 'small';
  const floor = floors.find((f) => f.database === record.database && f.file === files[size].label);
  const wallMs = median(record.runs.map((r) => r.ms));
  const floorsMs = floor ? floor.parseMs + floor.cleanMs + floor.writeMs : NaN;
  const rows = record.runs.find((r) => r.counts)?.counts?.totalRows ?? NaN;
  const latencies = record.runs.flatMap((r) => r.probeMs ?? []);
  return {
    side: record.side,
    database: record.database,
    scenario: record.label,
    size,
    rows,
    wallMs,
    runsMs: record.runs.map((r) => r.ms),
    rowsPerSecond: rows / (wallMs / 1000),
    peakRssMb: record.peakRssMb,
    ratio: wallMs / floorsMs,
    parseWriteMs: floor ? floor.parseMs + floor.writeMs : NaN,
    healthMaxMs: latencies.length > 0 ? Math.max(...latencies) : NaN,
    eventLoopMaxMs: maxOf(record.runs.map((r) => r.eventLoopMaxMs)),
    problems: record.runs.flatMap((r) => r.problems),
    cpu: medianCpu(record.runs.map((r) => r.cpu)),
    floorsMs,
    suppressed: record.runs.find((r) => r.counts)?.counts?.suppressed,
  };
}

/** Each part's median over the repetitions that measured it (NaN where none did). */
function medianCpu(runs: Array<CpuTimes | undefined>): ResultRow['cpu'] {
  return {
    mainMs: medianOf(runs.map((cpu) => cpu?.mainMs)),
    otherThreadsMs: medianOf(runs.map((cpu) => cpu?.otherThreadsMs)),
    databaseMs: medianOf(runs.map((cpu) => cpu?.databaseMs)),
    machineMs: medianOf(runs.map((cpu) => cpu?.machineMs)),
  };
}

/** The median of the values measured, NaN if none was. */
function medianOf(values: Array<number | undefined>): number {
  const measured = values.filter((value): value is number => value !== undefined);
  return measured.length > 0 ? median(measured) : NaN;
}

/** The largest of the values measured, NaN if none was. */
function maxOf(values: Array<number | undefined>): number {
  const measured = values.filter((value): value is number => value !== undefined);
  return measured.length > 0 ? Math.max(...measured) : NaN;
}

export function probeRows(records: ScenarioRecord[]): ProbeRow[] {
  return records.map((record) => {
    const latencies = record.runs.flatMap((r) => r.probeMs ?? []);
    return {
      side: record.side,
      database: record.database,
      scenario: record.label,
      maxMs: latencies.length > 0 ? Math.max(...latencies) : NaN,
      medianMs: latencies.length > 0 ? median(latencies) : NaN,
      count: latencies.length,
      failures: record.runs.reduce((sum, r) => sum + (r.probeFailures ?? 0), 0),
    };
  });
}

/** Issue 13's targets for the new build, each met or missed; with a baseline, also "no scenario slower". */
export function evaluateTargets(results: ResultRow[], probes: ProbeRow[]): TargetRow[] {
  const targets: TargetRow[] = [];
  const current = results.filter((r) => r.side === 'new');
  for (const database of new Set(current.map((r) => r.database))) {
    const rows = current.filter((r) => r.database === database);
    for (const row of rows) {
      if (row.scenario === 're-import 12 MB, skip') {
        const limit = 0.8 * row.parseWriteMs;
        targets.push({
          name: `${database} ${row.scenario} ≤ 0.8 × (parse + write floor) = ${limit.toFixed(0)} ms`,
          measured: `${row.wallMs.toFixed(0)} ms (${(row.wallMs / row.parseWriteMs).toFixed(2)} ×)`,
          met: row.wallMs <= limit,
        });
      } else {
        targets.push({
          name: `${database} ${row.scenario} ratio ≤ 1.0`,
          measured: row.ratio.toFixed(2),
          met: row.ratio <= 1,
        });
      }
    }
    for (const row of rows) {
      const limit = row.size === 'large' ? 260 : 200;
      targets.push({
        name: `${database} ${row.scenario} server peak RSS ≤ ${limit} MB`,
        measured: `${row.peakRssMb.toFixed(0)} MB`,
        met: row.peakRssMb <= limit,
      });
    }
    const probed = probes.filter((p) => p.side === 'new' && p.database === database && p.count > 0);
    if (probed.length > 0) {
      const worst = probed.reduce((a, b) => (b.maxMs > a.maxMs ? b : a));
      const failures = probed.reduce((sum, p) => sum + p.failures, 0);
      targets.push({
        name: `${database} /health/ready during every import < 200 ms`,
        measured:
          `${worst.maxMs.toFixed(0)} ms max (${worst.scenario})` + (failures > 0 ? `, ${failures} not 200` : ''),
        met: worst.maxMs < 200 && failures === 0,
      });
    }
    for (const row of rows) {
      const old = results.find((r) => r.side === 'baseline' && r.database === database && r.scenario === row.scenario);
      if (!old) continue;
      targets.push({
        name: `${database} ${row.scenario} not slower than the baseline`,
        measured: `${row.wallMs.toFixed(0)} against ${old.wallMs.toFixed(0)} ms (${(row.wallMs / old.wallMs).toFixed(2)} ×)`,
        met: row.wallMs <= old.wallMs,
      });
    }
  }
  return targets;
}

export interface ServerLogSummary {
  warnings: number;
  errors: number;
  samples: string[];
}

/** Counts the server's warn and error lines (pino JSON), so the report says whether anything went wrong. */
export function summariseServerLog(path: string): ServerLogSummary {
  if (!existsSync(path)) return { warnings: 0, errors: 0, samples: [] };
  let warnings = 0;
  let errors = 0;
  const samples = new Set<string>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const level = Number(/"level":(\d+)/.exec(line)?.[1] ?? 0);
    if (level === 40) warnings++;
    else if (level >= 50) errors++;
    else continue;
    const message = /"err":\{"type":"\w+","message":"([^"]*)"/.exec(line)?.[1] ?? /"msg":"([^"]*)"/.exec(line)?.[1];
    if (samples.size < 10) samples.add(`${level === 40 ? 'warn' : 'error'}: ${message ?? line.slice(0, 200)}`);
  }
  return { warnings, errors, samples: [...samples] };
}
