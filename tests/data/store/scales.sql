-- tests/data/store/scales.sql: 20 comments for the CSAT and CES options of `tema scores`,
-- loaded by tests/e2e/scales.sh.  Written for the project.
--   comments 1-10: CSAT 5 5 4 4 3 2 1 5 4 3    comments 11-20: CES 7 6 5 4 3 2 1 7 6 5
BEGIN;
INSERT INTO runs VALUES (1, '2025-07-01T10:00:00Z', '2025-07-01T10:00:05Z', '0.1.0', '{}', 20, 20, 0, 0);
INSERT INTO inputs VALUES (1, 'scales.csv', 1024, '00000000-0000000000000000-1024');
INSERT INTO comments VALUES (1, 1, 'scales.csv', 2, 's1', '2025-03-01', 'en', NULL, NULL, 5, 'csat', 0.0, 'neutral', 'Comment 1.');
INSERT INTO comments VALUES (2, 1, 'scales.csv', 3, 's2', '2025-03-02', 'en', NULL, NULL, 5, 'csat', 0.0, 'neutral', 'Comment 2.');
INSERT INTO comments VALUES (3, 1, 'scales.csv', 4, 's3', '2025-03-03', 'en', NULL, NULL, 4, 'csat', 0.0, 'neutral', 'Comment 3.');
INSERT INTO comments VALUES (4, 1, 'scales.csv', 5, 's4', '2025-03-04', 'en', NULL, NULL, 4, 'csat', 0.0, 'neutral', 'Comment 4.');
INSERT INTO comments VALUES (5, 1, 'scales.csv', 6, 's5', '2025-03-05', 'en', NULL, NULL, 3, 'csat', 0.0, 'neutral', 'Comment 5.');
INSERT INTO comments VALUES (6, 1, 'scales.csv', 7, 's6', '2025-03-06', 'en', NULL, NULL, 2, 'csat', 0.0, 'neutral', 'Comment 6.');
INSERT INTO comments VALUES (7, 1, 'scales.csv', 8, 's7', '2025-03-07', 'en', NULL, NULL, 1, 'csat', 0.0, 'neutral', 'Comment 7.');
INSERT INTO comments VALUES (8, 1, 'scales.csv', 9, 's8', '2025-03-08', 'en', NULL, NULL, 5, 'csat', 0.0, 'neutral', 'Comment 8.');
INSERT INTO comments VALUES (9, 1, 'scales.csv', 10, 's9', '2025-03-09', 'en', NULL, NULL, 4, 'csat', 0.0, 'neutral', 'Comment 9.');
INSERT INTO comments VALUES (10, 1, 'scales.csv', 11, 's10', '2025-03-01', 'en', NULL, NULL, 3, 'csat', 0.0, 'neutral', 'Comment 10.');
INSERT INTO comments VALUES (11, 1, 'scales.csv', 12, 's11', '2025-03-02', 'en', NULL, NULL, 7, 'ces', 0.0, 'neutral', 'Comment 11.');
INSERT INTO comments VALUES (12, 1, 'scales.csv', 13, 's12', '2025-03-03', 'en', NULL, NULL, 6, 'ces', 0.0, 'neutral', 'Comment 12.');
INSERT INTO comments VALUES (13, 1, 'scales.csv', 14, 's13', '2025-03-04', 'en', NULL, NULL, 5, 'ces', 0.0, 'neutral', 'Comment 13.');
INSERT INTO comments VALUES (14, 1, 'scales.csv', 15, 's14', '2025-03-05', 'en', NULL, NULL, 4, 'ces', 0.0, 'neutral', 'Comment 14.');
INSERT INTO comments VALUES (15, 1, 'scales.csv', 16, 's15', '2025-03-06', 'en', NULL, NULL, 3, 'ces', 0.0, 'neutral', 'Comment 15.');
INSERT INTO comments VALUES (16, 1, 'scales.csv', 17, 's16', '2025-03-07', 'en', NULL, NULL, 2, 'ces', 0.0, 'neutral', 'Comment 16.');
INSERT INTO comments VALUES (17, 1, 'scales.csv', 18, 's17', '2025-03-08', 'en', NULL, NULL, 1, 'ces', 0.0, 'neutral', 'Comment 17.');
INSERT INTO comments VALUES (18, 1, 'scales.csv', 19, 's18', '2025-03-09', 'en', NULL, NULL, 7, 'ces', 0.0, 'neutral', 'Comment 18.');
INSERT INTO comments VALUES (19, 1, 'scales.csv', 20, 's19', '2025-03-01', 'en', NULL, NULL, 6, 'ces', 0.0, 'neutral', 'Comment 19.');
INSERT INTO comments VALUES (20, 1, 'scales.csv', 21, 's20', '2025-03-02', 'en', NULL, NULL, 5, 'ces', 0.0, 'neutral', 'Comment 20.');
COMMIT;
