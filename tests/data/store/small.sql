-- tests/data/store/small.sql: a store of 40 hand-made comments with known counts,
-- loaded by tests/e2e/reports.sh (through build/tools/store-sql, which creates the schema
-- first).  Written for the project.  The expected values in reports.sh are worked out from
-- the facts summarised here:
--   comments 1-20 are dated 2025-Q1 (Jan-Mar), 21-40 2025-Q2 (Apr-Jun); odd ids sv, even en;
--   segment channel = web for 1-10 and 21-30, app for the rest; every comment has an NPS score.
--   NPS 2: 1, 21-32 (the delivery.late comments)   9: 2, 3, 37-40   10: 13-20
--       5: 4-9   6: 10-12   3: 33   4: 34, 35   7: 36
--   delivery.late (negative): 1, 21-32; comment 21 names it twice (sentiments -0.8, -0.6)
--   delivery.tracking: positive in 2, 3; negative in 33
--   customer_service.wait_time: negative in 4-8, 34, 35; neutral in 9
--   price.too_high: negative in 10-12, 36;   comments 13-20 and 37-40 mention nothing.
--   Comment 1 is too short to quote; 22 nearly repeats 21; in 23 the redacted [NAME] is
--   shorter than the original name, so its span cannot be highlighted; in 24 [EMAIL] comes
--   after the mention, so it can.
BEGIN;
INSERT INTO runs VALUES (1, '2025-07-01T10:00:00Z', '2025-07-01T10:00:05Z', '0.1.0', '{}', 40, 40, 0, 0);
INSERT INTO inputs VALUES (1, 'survey.csv', 4096, '00000000-0000000000000000-4096');
INSERT INTO comments VALUES (1, 1, 'survey.csv', 2, 'r1', '2025-01-03', 'sv', NULL, NULL, 2, 'nps', -0.5, 'negative', 'Sen leverans!');
INSERT INTO comments VALUES (2, 1, 'survey.csv', 3, 'r2', '2025-01-05', 'en', NULL, NULL, 9, 'nps', 0.4, 'positive', 'Bra spårning av paketet hela vägen hem.');
INSERT INTO comments VALUES (3, 1, 'survey.csv', 4, 'r3', '2025-01-07', 'sv', NULL, NULL, 9, 'nps', 0.4, 'positive', 'Tracking worked well and updates came on time.');
INSERT INTO comments VALUES (4, 1, 'survey.csv', 5, 'r4', '2025-01-09', 'en', NULL, NULL, 5, 'nps', -0.5, 'negative', 'Fick vänta i telefonkön i fyrtio minuter.');
INSERT INTO comments VALUES (5, 1, 'survey.csv', 6, 'r5', '2025-01-11', 'sv', NULL, NULL, 5, 'nps', -0.5, 'negative', 'I waited on hold for an hour before anyone answered.');
INSERT INTO comments VALUES (6, 1, 'survey.csv', 7, 'r6', '2025-01-13', 'en', NULL, NULL, 5, 'nps', -0.5, 'negative', 'Väntetiden hos kundtjänst var alldeles för lång.');
INSERT INTO comments VALUES (7, 1, 'survey.csv', 8, 'r7', '2025-01-15', 'sv', NULL, NULL, 5, 'nps', -0.5, 'negative', 'Long wait for customer service, again and again.');
INSERT INTO comments VALUES (8, 1, 'survey.csv', 9, 'r8', '2025-02-03', 'en', NULL, NULL, 5, 'nps', -0.5, 'negative', 'Kundtjänst svarade först efter tre dagar.');
INSERT INTO comments VALUES (9, 1, 'survey.csv', 10, 'r9', '2025-02-05', 'sv', NULL, NULL, 5, 'nps', 0.0, 'neutral', 'I called customer service about my order.');
INSERT INTO comments VALUES (10, 1, 'survey.csv', 11, 'r10', '2025-02-07', 'en', NULL, NULL, 6, 'nps', -0.5, 'negative', 'Alldeles för dyrt jämfört med andra butiker.');
INSERT INTO comments VALUES (11, 1, 'survey.csv', 12, 'r11', '2025-02-09', 'sv', NULL, NULL, 6, 'nps', -0.5, 'negative', 'Prices are far too high for what you get.');
INSERT INTO comments VALUES (12, 1, 'survey.csv', 13, 'r12', '2025-02-11', 'en', NULL, NULL, 6, 'nps', -0.5, 'negative', 'Frakten kostade mer än själva varan, för dyrt.');
INSERT INTO comments VALUES (13, 1, 'survey.csv', 14, 'r13', '2025-02-13', 'sv', NULL, NULL, 10, 'nps', 0.4, 'positive', 'Allt fungerade perfekt, tack!');
INSERT INTO comments VALUES (14, 1, 'survey.csv', 15, 'r14', '2025-02-15', 'en', NULL, NULL, 10, 'nps', 0.4, 'positive', 'Great shop, I will order again.');
INSERT INTO comments VALUES (15, 1, 'survey.csv', 16, 'r15', '2025-03-03', 'sv', NULL, NULL, 10, 'nps', 0.4, 'positive', 'Snabbt och smidigt, rekommenderas.');
INSERT INTO comments VALUES (16, 1, 'survey.csv', 17, 'r16', '2025-03-05', 'en', NULL, NULL, 10, 'nps', 0.4, 'positive', 'Everything was fine, thank you.');
INSERT INTO comments VALUES (17, 1, 'survey.csv', 18, 'r17', '2025-03-07', 'sv', NULL, NULL, 10, 'nps', 0.4, 'positive', 'Mycket nöjd med köpet.');
INSERT INTO comments VALUES (18, 1, 'survey.csv', 19, 'r18', '2025-03-09', 'en', NULL, NULL, 10, 'nps', 0.4, 'positive', 'Lovely products and friendly people.');
INSERT INTO comments VALUES (19, 1, 'survey.csv', 20, 'r19', '2025-03-11', 'sv', NULL, NULL, 10, 'nps', 0.4, 'positive', 'Toppen, inget att klaga på.');
INSERT INTO comments VALUES (20, 1, 'survey.csv', 21, 'r20', '2025-03-13', 'en', NULL, NULL, 10, 'nps', 0.4, 'positive', 'Very happy with my new jacket.');
INSERT INTO comments VALUES (21, 1, 'survey.csv', 22, 'r21', '2025-04-03', 'sv', NULL, NULL, 2, 'nps', -0.5, 'negative', 'The parcel was late again, and the replacement was late too.');
INSERT INTO comments VALUES (22, 1, 'survey.csv', 23, 'r22', '2025-04-05', 'en', NULL, NULL, 2, 'nps', -0.5, 'negative', 'The parcel was late again, and the replacement was late as well.');
INSERT INTO comments VALUES (23, 1, 'survey.csv', 24, 'r23', '2025-04-07', 'sv', NULL, NULL, 2, 'nps', -0.5, 'negative', 'Hej, jag heter [NAME] och mitt paket kom en vecka försenat.');
INSERT INTO comments VALUES (24, 1, 'survey.csv', 25, 'r24', '2025-04-09', 'en', NULL, NULL, 2, 'nps', -0.5, 'negative', 'Leveransen var försenad igen, kontakta mig på [EMAIL] tack.');
INSERT INTO comments VALUES (25, 1, 'survey.csv', 26, 'r25', '2025-04-11', 'sv', NULL, NULL, 2, 'nps', -0.5, 'negative', 'Paketet kom fyra dagar för sent till ombudet.');
INSERT INTO comments VALUES (26, 1, 'survey.csv', 27, 'r26', '2025-04-13', 'en', NULL, NULL, 2, 'nps', -0.5, 'negative', 'Delivery was late and the box was left outside.');
INSERT INTO comments VALUES (27, 1, 'survey.csv', 28, 'r27', '2025-04-15', 'sv', NULL, NULL, 2, 'nps', -0.5, 'negative', 'Försenad leverans, ingen information alls.');
INSERT INTO comments VALUES (28, 1, 'survey.csv', 29, 'r28', '2025-05-03', 'en', NULL, NULL, 2, 'nps', -0.5, 'negative', 'My order came a week late with no explanation.');
INSERT INTO comments VALUES (29, 1, 'survey.csv', 30, 'r29', '2025-05-05', 'sv', NULL, NULL, 2, 'nps', -0.5, 'negative', 'Leveransen blev försenad två gånger i rad.');
INSERT INTO comments VALUES (30, 1, 'survey.csv', 31, 'r30', '2025-05-07', 'en', NULL, NULL, 2, 'nps', -0.5, 'negative', 'The courier was late and did not even ring the bell.');
INSERT INTO comments VALUES (31, 1, 'survey.csv', 32, 'r31', '2025-05-09', 'sv', NULL, NULL, 2, 'nps', -0.5, 'negative', 'Sen leverans igen, tredje gången i år.');
INSERT INTO comments VALUES (32, 1, 'survey.csv', 33, 'r32', '2025-05-11', 'en', NULL, NULL, 2, 'nps', -0.5, 'negative', 'Late delivery ruined the birthday present.');
INSERT INTO comments VALUES (33, 1, 'survey.csv', 34, 'r33', '2025-05-13', 'sv', NULL, NULL, 3, 'nps', -0.5, 'negative', 'Spårningslänken fungerade inte alls, helt värdelös.');
INSERT INTO comments VALUES (34, 1, 'survey.csv', 35, 'r34', '2025-05-15', 'en', NULL, NULL, 4, 'nps', -0.5, 'negative', 'Ingen svarade i kundtjänst, väntade i evigheter.');
INSERT INTO comments VALUES (35, 1, 'survey.csv', 36, 'r35', '2025-06-03', 'sv', NULL, NULL, 4, 'nps', -0.5, 'negative', 'Customer service kept me waiting for days.');
INSERT INTO comments VALUES (36, 1, 'survey.csv', 37, 'r36', '2025-06-05', 'en', NULL, NULL, 7, 'nps', -0.5, 'negative', 'A bit pricey but the quality is fine.');
INSERT INTO comments VALUES (37, 1, 'survey.csv', 38, 'r37', '2025-06-07', 'sv', NULL, NULL, 9, 'nps', 0.4, 'positive', 'Smidig beställning och snabb leverans.');
INSERT INTO comments VALUES (38, 1, 'survey.csv', 39, 'r38', '2025-06-09', 'en', NULL, NULL, 9, 'nps', 0.4, 'positive', 'Good value and quick checkout.');
INSERT INTO comments VALUES (39, 1, 'survey.csv', 40, 'r39', '2025-06-11', 'sv', NULL, NULL, 9, 'nps', 0.4, 'positive', 'Jättebra service i butiken.');
INSERT INTO comments VALUES (40, 1, 'survey.csv', 41, 'r40', '2025-06-13', 'en', NULL, NULL, 9, 'nps', 0.4, 'positive', 'Nice packaging and fast delivery.');
INSERT INTO segments VALUES (1, 'channel', 'web');
INSERT INTO segments VALUES (2, 'channel', 'web');
INSERT INTO segments VALUES (3, 'channel', 'web');
INSERT INTO segments VALUES (4, 'channel', 'web');
INSERT INTO segments VALUES (5, 'channel', 'web');
INSERT INTO segments VALUES (6, 'channel', 'web');
INSERT INTO segments VALUES (7, 'channel', 'web');
INSERT INTO segments VALUES (8, 'channel', 'web');
INSERT INTO segments VALUES (9, 'channel', 'web');
INSERT INTO segments VALUES (10, 'channel', 'web');
INSERT INTO segments VALUES (11, 'channel', 'app');
INSERT INTO segments VALUES (12, 'channel', 'app');
INSERT INTO segments VALUES (13, 'channel', 'app');
INSERT INTO segments VALUES (14, 'channel', 'app');
INSERT INTO segments VALUES (15, 'channel', 'app');
INSERT INTO segments VALUES (16, 'channel', 'app');
INSERT INTO segments VALUES (17, 'channel', 'app');
INSERT INTO segments VALUES (18, 'channel', 'app');
INSERT INTO segments VALUES (19, 'channel', 'app');
INSERT INTO segments VALUES (20, 'channel', 'app');
INSERT INTO segments VALUES (21, 'channel', 'web');
INSERT INTO segments VALUES (22, 'channel', 'web');
INSERT INTO segments VALUES (23, 'channel', 'web');
INSERT INTO segments VALUES (24, 'channel', 'web');
INSERT INTO segments VALUES (25, 'channel', 'web');
INSERT INTO segments VALUES (26, 'channel', 'web');
INSERT INTO segments VALUES (27, 'channel', 'web');
INSERT INTO segments VALUES (28, 'channel', 'web');
INSERT INTO segments VALUES (29, 'channel', 'web');
INSERT INTO segments VALUES (30, 'channel', 'web');
INSERT INTO segments VALUES (31, 'channel', 'app');
INSERT INTO segments VALUES (32, 'channel', 'app');
INSERT INTO segments VALUES (33, 'channel', 'app');
INSERT INTO segments VALUES (34, 'channel', 'app');
INSERT INTO segments VALUES (35, 'channel', 'app');
INSERT INTO segments VALUES (36, 'channel', 'app');
INSERT INTO segments VALUES (37, 'channel', 'app');
INSERT INTO segments VALUES (38, 'channel', 'app');
INSERT INTO segments VALUES (39, 'channel', 'app');
INSERT INTO segments VALUES (40, 'channel', 'app');
INSERT INTO mentions VALUES (1, 1, 'delivery.late', 'delivery', 'during', -0.6, 'negative', 0, 3, 0);
INSERT INTO mentions VALUES (2, 2, 'delivery.tracking', 'delivery', 'during', 0.5, 'positive', 4, 13, 0);
INSERT INTO mentions VALUES (3, 3, 'delivery.tracking', 'delivery', 'during', 0.5, 'positive', 0, 8, 0);
INSERT INTO mentions VALUES (4, 4, 'customer_service.wait_time', 'customer_service', 'during', -0.5, 'negative', 5, 11, 0);
INSERT INTO mentions VALUES (5, 5, 'customer_service.wait_time', 'customer_service', 'during', -0.5, 'negative', 2, 8, 0);
INSERT INTO mentions VALUES (6, 6, 'customer_service.wait_time', 'customer_service', 'during', -0.5, 'negative', 0, 11, 0);
INSERT INTO mentions VALUES (7, 7, 'customer_service.wait_time', 'customer_service', 'during', -0.5, 'negative', 5, 9, 0);
INSERT INTO mentions VALUES (8, 8, 'customer_service.wait_time', 'customer_service', 'during', -0.5, 'negative', 33, 42, 0);
INSERT INTO mentions VALUES (9, 9, 'customer_service.wait_time', 'customer_service', 'during', 0.0, 'neutral', 9, 25, 0);
INSERT INTO mentions VALUES (10, 10, 'price.too_high', 'price', 'during', -0.4, 'negative', 14, 18, 0);
INSERT INTO mentions VALUES (11, 11, 'price.too_high', 'price', 'during', -0.4, 'negative', 15, 23, 0);
INSERT INTO mentions VALUES (12, 12, 'price.too_high', 'price', 'during', -0.4, 'negative', 44, 48, 0);
INSERT INTO mentions VALUES (13, 21, 'delivery.late', 'delivery', 'during', -0.8, 'negative', 15, 19, 0);
INSERT INTO mentions VALUES (14, 21, 'delivery.late', 'delivery', 'during', -0.6, 'negative', 51, 55, 0);
INSERT INTO mentions VALUES (15, 22, 'delivery.late', 'delivery', 'during', -0.6, 'negative', 15, 19, 0);
INSERT INTO mentions VALUES (16, 23, 'delivery.late', 'delivery', 'during', -0.6, 'negative', 53, 62, 0);
INSERT INTO mentions VALUES (17, 24, 'delivery.late', 'delivery', 'during', -0.6, 'negative', 15, 24, 0);
INSERT INTO mentions VALUES (18, 25, 'delivery.late', 'delivery', 'during', -0.6, 'negative', 23, 32, 0);
INSERT INTO mentions VALUES (19, 26, 'delivery.late', 'delivery', 'during', -0.6, 'negative', 13, 17, 0);
INSERT INTO mentions VALUES (20, 27, 'delivery.late', 'delivery', 'during', -0.6, 'negative', 0, 9, 0);
INSERT INTO mentions VALUES (21, 28, 'delivery.late', 'delivery', 'during', -0.6, 'negative', 21, 25, 0);
INSERT INTO mentions VALUES (22, 29, 'delivery.late', 'delivery', 'during', -0.6, 'negative', 16, 25, 0);
INSERT INTO mentions VALUES (23, 30, 'delivery.late', 'delivery', 'during', -0.6, 'negative', 16, 20, 0);
INSERT INTO mentions VALUES (24, 31, 'delivery.late', 'delivery', 'during', -0.6, 'negative', 0, 3, 0);
INSERT INTO mentions VALUES (25, 32, 'delivery.late', 'delivery', 'during', -0.6, 'negative', 0, 4, 0);
INSERT INTO mentions VALUES (26, 33, 'delivery.tracking', 'delivery', 'during', -0.7, 'negative', 0, 17, 0);
INSERT INTO mentions VALUES (27, 34, 'customer_service.wait_time', 'customer_service', 'during', -0.5, 'negative', 29, 37, 0);
INSERT INTO mentions VALUES (28, 35, 'customer_service.wait_time', 'customer_service', 'during', -0.5, 'negative', 25, 32, 0);
INSERT INTO mentions VALUES (29, 36, 'price.too_high', 'price', 'during', -0.3, 'negative', 6, 12, 0);
COMMIT;
