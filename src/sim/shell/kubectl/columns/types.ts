// The shape of a server-side printed table (metav1.Table), which is what `kubectl get` renders.
// The API server always generates rows with Wide=true (pkg/printers/storage TableConvertor);
// kubectl then drops columns with priority != 0 unless `-o wide`.

/** A column definition as registered in pkg/printers/internalversion; kubectl upper-cases `name`. */
export interface ColumnDef {
  name: string;
  /** 0 = always shown; anything else only with `-o wide`. */
  priority?: number;
}

/** One cell: a string or integer, or null when the server left it empty (CRD columns). */
export type CellValue = string | number | boolean | null;

export interface RowContext {
  /** The simulated clock (ISO time) AGE is measured against. */
  now: string;
}

export interface KindPrinter<T> {
  columns: readonly ColumnDef[];
  row(obj: T, ctx: RowContext): CellValue[];
}

/** `--show-labels`/`-A` decoration and the like need these on every object. */
export interface PrintableMeta {
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; creationTimestamp?: string };
}

export const col = (name: string, priority = 0): ColumnDef => ({ name, priority });
