// The shift handoff checklist when the runbook gives none: the reference runbooks' on-call handoff
// checklists (Avocat-AI 5.2, ICUPA "Handoff Checklist"), in the order an incoming engineer works.
export const DEFAULT_CHECKLIST: readonly string[] = [
  'Review recent deployments and changes (releases above)',
  'Check current alerts and open incidents',
  'Review known issues and workarounds',
  'Verify monitoring dashboards are accessible',
  'Confirm access to production systems',
  'Confirm the rollback plan of anything released this shift',
  'Review escalation procedures and contacts',
];

export function handoffChecklist(configured: readonly string[] | undefined): readonly string[] {
  return configured && configured.length > 0 ? configured : DEFAULT_CHECKLIST;
}
