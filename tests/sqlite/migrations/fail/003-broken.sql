-- the first statement works, the second does not: neither may stay
CREATE TABLE half (x);
INSERT INTO nowhere (x) VALUES (1);
