// Every lesson in lessons/ (format: lessons/README.md), in both languages: it parses, both
// languages have the same steps and blocks, every step's actions run against the simulator,
// every trace has a path, and every check passes once its reference solution is applied —
// played in order, as a learner would.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Simulation } from '../../src/sim/index';
import { applyActions, evaluateCheck, lessonShape, parseLesson, resolveFrom, whereOf, type Actions, type Lesson, type Workspace } from '../../src/sim/lessons/index';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../lessons');
const LANGS = ['en', 'zh-CN'] as const;
const ids = existsSync(root) ? readdirSync(root).filter((d) => /^\d\d-[a-z0-9-]+$/.test(d) && statSync(path.join(root, d)).isDirectory()).sort() : [];

function read(id: string, name: string): string | undefined {
  const p = path.join(root, id, name);
  if (!p.startsWith(path.join(root, id) + path.sep) || !existsSync(p)) return undefined;
  return readFileSync(p, 'utf8');
}

function parse(id: string, lang: string): Lesson {
  const text = read(id, `lesson.${lang}.md`);
  if (text === undefined) throw new Error(`lessons/${id}/lesson.${lang}.md is missing`);
  try {
    return parseLesson(text);
  } catch (e) {
    throw new Error(`lessons/${id}/lesson.${lang}.md ${(e as Error).message}`);
  }
}

/** A learner's session: the editor's files and options, the cluster they give, terminal commands on it. */
class Player {
  ws: Workspace = { files: [], options: {} };
  sim = Simulation.load([]);
  constructor(private readonly id: string) {}

  apply(actions: Actions, where: string): void {
    const r = applyActions(this.ws, actions, (n) => read(this.id, n));
    expect(r.problems, where).toEqual([]);
    if (r.workspace.files !== this.ws.files || r.workspace.options !== this.ws.options) {
      this.ws = r.workspace;
      this.sim = Simulation.load(this.ws.files, this.ws.options);
      const errors = this.sim.diagnostics.filter((d) => d.severity === 'error');
      expect(errors.map((d) => `${d.file}:${d.line}: ${d.message.en}`), `${where}: the files load without errors`).toEqual([]);
    }
    for (const c of r.commands) {
      const res = this.sim.exec(c.command, whereOf(c, 'master'));
      expect(res.exitCode, `${where}: \`${c.command}\` is a command the simulator knows\n${res.stderr}`).not.toBe(127);
    }
    if (r.trace) {
      const t = this.sim.trace({ from: resolveFrom(this.sim, r.trace.from), to: r.trace.to, allPaths: true });
      expect('error' in t ? t.error : null, `${where}: trace ${r.trace.from} → ${r.trace.to}`).toBeNull();
    }
  }
}

describe.runIf(ids.length > 0)('lessons', () => {
  it('are numbered 01, 02, … without gaps', () => {
    ids.forEach((id, i) => expect(id.slice(0, 2)).toBe(String(i + 1).padStart(2, '0')));
  });

  describe.each(ids)('%s', (id) => {
    it('parses in both languages, with the same steps, blocks and answers', () => {
      const [en, zh] = LANGS.map((l) => parse(id, l));
      expect(lessonShape(zh)).toEqual(lessonShape(en));
      expect(en.steps.length).toBeGreaterThanOrEqual(2);
      for (const l of [en, zh]) {
        expect(l.meta.title.trim()).not.toBe('');
        for (const s of l.steps) for (const b of s.blocks) {
          if (b.kind === 'question') expect(b.question.explain.trim(), `${id}: question ${b.question.id} explains its answer`).not.toBe('');
          if (b.kind === 'check') expect(b.check.hint.trim(), `${id}: check ${b.check.id} has a hint`).not.toBe('');
        }
      }
      for (const p of en.meta.prerequisites) expect(ids, `${id}: prerequisite ${p}`).toContain(p);
    });

    it('plays through: every action runs, every trace has a path, every check passes with its solution', () => {
      const lesson = parse(id, 'en');
      const player = new Player(id);
      lesson.steps.forEach((s, k) => {
        const where = `lessons/${id} step ${k + 1} "${s.title}"`;
        for (const b of s.blocks) {
          if (b.kind === 'actions') player.apply(b.actions, where);
          if (b.kind === 'check') {
            if (b.check.solution) player.apply(b.check.solution, `${where}, solution of ${b.check.id}`);
            const r = evaluateCheck(player.sim, b.check.expect);
            expect(r.pass, `${where}: check ${b.check.id} passes with its solution — saw ${r.saw.en}`).toBe(true);
          }
        }
      });
    });
  });
});
