// printNamespace and printConfigMap (kubernetes pkg/printers/internalversion), and the CRD
// tables of the MetalLB kinds the simulated API server keeps (their additionalPrinterColumns).
import type { ConfigMap, KubeObject, Namespace } from '../../../api/objects';
import { translateTimestampSince } from '../duration';
import { col, type CellValue, type KindPrinter } from './types';

export const namespacePrinter: KindPrinter<Namespace> = {
  columns: [col('Name'), col('Status'), col('Age')],
  row: (ns, ctx) => [ns.metadata.name, ns.status?.phase ?? 'Active', translateTimestampSince(ns.metadata.creationTimestamp, ctx.now)],
};

export const configMapPrinter: KindPrinter<ConfigMap> = {
  columns: [col('Name'), col('Data'), col('Age')],
  row: (cm, ctx) => [
    cm.metadata.name,
    Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length,
    translateTimestampSince(cm.metadata.creationTimestamp, ctx.now),
  ],
};

/**
 * A CRD `type: string` column whose JSONPath lands on a list or map prints as compact JSON
 * (`["a","b"]`); a missing field is an empty cell. (apiextensions-apiserver tableconvertor;
 * not verified byte-for-byte against a live MetalLB install.)
 */
function jsonCell(v: unknown): CellValue {
  if (v === undefined || v === null) return null;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function specOf(o: KubeObject): Record<string, unknown> {
  return (o.spec ?? {}) as Record<string, unknown>;
}

/** MetalLB v0.13+ IPAddressPool: autoAssign defaults to true, avoidBuggyIPs to false (CRD defaults). */
export const ipAddressPoolPrinter: KindPrinter<KubeObject> = {
  columns: [col('Name'), col('Auto Assign'), col('Avoid Buggy IPs'), col('Addresses')],
  row(o) {
    const s = specOf(o);
    return [o.metadata.name, (s.autoAssign as boolean | undefined) ?? true, (s.avoidBuggyIPs as boolean | undefined) ?? false, jsonCell(s.addresses)];
  },
};

export const l2AdvertisementPrinter: KindPrinter<KubeObject> = {
  columns: [col('Name'), col('IPAddressPools'), col('IPAddressPool Selectors'), col('Interfaces'), col('Node Selectors', 10)],
  row(o) {
    const s = specOf(o);
    return [o.metadata.name, jsonCell(s.ipAddressPools), jsonCell(s.ipAddressPoolSelectors), jsonCell(s.interfaces), jsonCell(s.nodeSelectors)];
  },
};
