import { MessageBudget } from './message-budget.js';

describe('MessageBudget', () => {
  it('allows a burst of twice the rate, then the rate, and counts refusals in a row', () => {
    let now = 0;
    const budget = new MessageBudget(5, () => now);
    const burst = Array.from({ length: 12 }, () => budget.take());
    expect(burst.filter(Boolean)).toHaveLength(10);
    expect(budget.refusedInARow).toBe(2);
    now += 1000; // one second later: five more
    expect(Array.from({ length: 6 }, () => budget.take()).filter(Boolean)).toHaveLength(5);
    now += 200;
    expect(budget.take()).toBe(true);
    expect(budget.refusedInARow).toBe(0);
  });
});
