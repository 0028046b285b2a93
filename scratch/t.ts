import { findThresholds } from '../src/import/recognise/threshold.ts';
import { proseTraffic, commandTraffic } from '../src/import/recognise/percent.ts';
import { findHold } from '../src/import/recognise/duration.ts';
for (const t of ['Error rate >5% for 5 minutes → Immediate rollback','Latency P95 >20s for 10 minutes → Investigate/rollback','Error Rate Spike: >0.5% error rate sustained for 5min','Latency Degradation: P99 >5s sustained for 10min','Database Errors: >10 connection errors/min','Queue Backlog: >1000 messages pending for 15min','P50 Latency: <200ms (vs baseline <150ms)','condition: error_rate > 5%','Unit Tests: npm test (100% pass, >80% coverage)','Test coverage meets threshold (≥80% or baseline +10%)','Auto-rollback if error rate >0.5% or P99 latency >5s','Error rate exceeds 10%','API Availability: >99.9% success rate','Redis cache hit rate > 80%', 'API latency P95 > 3000ms → Warning alert','Datadog showing > 5% error rate'])
  console.log(t, JSON.stringify(findThresholds(t).map(x=>[x.metric,x.bound,x.value,x.unit,x.for?.duration,x.breach])));
for (const t of ['Enable 10% of traffic to new version','Increase to 50% if metrics stable','Complete rollout to 100%','10% discount for early birds','Enable new features for 10% of users','Canary Phase (10% traffic, 30min)','Route 10% of traffic to green environment','upgrade to 1.10% of','Error rate: <1% across all endpoints','Phase 3: Ramp to 50% (T+35min to T+95min)','Blue Environment: Current production (100% traffic)'])
  console.log(t, proseTraffic(t), JSON.stringify(findHold(t)));
for (const t of ['wrangler routes update --weight blue=90 green=10','--to-revisions=LATEST=10  # Start with 10%','--to-revisions=<previous-revision>=100','wrangler routes update --weight blue=100'])
  console.log(t, commandTraffic(t));
for (const t of ['Monitor SLO metrics for 15 minutes','Monitor for additional 15 minutes','# Monitor for 5-10 minutes, then increase','Monitor same metrics as canary (1hr window)','2.2 Monitor Canary Metrics (30min window)','Phase 4: Gradual Rollout (T+5min)','Blue environment remains hot standby for 24hrs'])
  console.log(t, JSON.stringify(findHold(t)));
