export { BatchDeadlines, type BatchDeadlinesDeps, type DeadlineMode } from "./batch-deadlines.js";
export { withBatchDeadlines } from "./with-batch-deadlines.js";
