/** Where tests/global-setup.ts leaves each stack's rendered plan. */
export const PLANS_DIR_ENV = "ESTATE_TEST_PLANS_DIR";
export const PLAN_DATE = new Date("2026-11-22T00:00:00Z");
