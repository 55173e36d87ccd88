export {
  RENEWAL_REASONS,
  dueReason,
  planRenewal,
  type DueCoin,
  type RenewalClock,
  type RenewalCoin,
  type RenewalMargins,
  type RenewalPlan,
  type RenewalReason,
} from "./renewal-plan.js";
export {
  RenewalScheduler,
  type RenewalLogger,
  type RenewalSchedulerDeps,
  type RenewalSchedulerOptions,
  type RenewalWallet,
  type TickOutcome,
} from "./renewal-scheduler.js";
