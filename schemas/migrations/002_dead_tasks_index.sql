-- 002: count dead tasks (assessctl stats) without scanning every task.
CREATE INDEX tasks_dead ON tasks (state) WHERE state = 'dead';
