ALTER TABLE `hosts` ADD `host_key_fingerprint` text;--> statement-breakpoint
ALTER TABLE `hosts` ADD `insecure` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- Plain tcp:// hosts to a non-loopback address that existed before this rule keep working, marked insecure (the hosts page shows a badge).
UPDATE `hosts` SET `insecure` = 1 WHERE `url` LIKE 'tcp://%' AND `tls_ca` IS NULL AND `tls_cert` IS NULL AND `url` NOT LIKE 'tcp://127.%' AND `url` NOT LIKE 'tcp://localhost:%' AND `url` NOT LIKE 'tcp://[::1]:%';
