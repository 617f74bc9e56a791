// The lessons shipped with the app (lessons/<id>/ at the repository root), bundled by Vite as
// lazy chunks: the page only knows their ids until one is opened.
import { parseLesson, type Lesson } from '../../sim/lessons/index';
import type { Lang } from '../i18n';

const texts = import.meta.glob('../../../lessons/*/lesson.*.md', { query: '?raw', import: 'default' }) as Record<string, () => Promise<string>>;
const files = import.meta.glob(['../../../lessons/*/*.yaml', '../../../lessons/*/*.yml', '../../../lessons/*/solution/*.yaml', '../../../lessons/*/solution/*.yml'], { query: '?raw', import: 'default' }) as Record<string, () => Promise<string>>;

const idOf = (key: string) => key.split('/lessons/')[1]?.split('/')[0] ?? '';

export function lessonIds(): string[] {
  return [...new Set(Object.keys(texts).map(idOf))].filter((id) => /^\d\d-/.test(id)).sort();
}

export const LESSON_FILE_LANG: Record<Lang, string> = { en: 'en', zh: 'zh-CN' };

export async function loadLesson(id: string, lang: Lang): Promise<Lesson> {
  const load = texts[`../../../lessons/${id}/lesson.${LESSON_FILE_LANG[lang]}.md`] ?? texts[`../../../lessons/${id}/lesson.en.md`];
  if (!load) throw new Error(`no lesson ${id}`);
  return parseLesson(await load());
}

/** The files of lesson `id` (names relative to its folder, `solution/…` included). */
export async function lessonFiles(id: string): Promise<Map<string, string>> {
  const prefix = `../../../lessons/${id}/`;
  const out = new Map<string, string>();
  await Promise.all(Object.entries(files).filter(([k]) => k.startsWith(prefix)).map(async ([k, load]) => { out.set(k.slice(prefix.length), await load()); }));
  return out;
}
