CREATE TABLE `traffic_samples` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`bucket_s` integer NOT NULL,
	`service_name` text NOT NULL,
	`release_number` integer NOT NULL,
	`release_status` text NOT NULL,
	`host_name` text NOT NULL,
	`server_name` text NOT NULL,
	`requests` integer NOT NULL,
	`errors_5xx` integer NOT NULL,
	`covered_ms` integer NOT NULL,
	`rtime_avg_ms` real,
	`rtime_p95_ms` real
);
--> statement-breakpoint
CREATE INDEX `traffic_samples_service_at` ON `traffic_samples` (`service_name`,`at`);--> statement-breakpoint
CREATE INDEX `traffic_samples_bucket_at` ON `traffic_samples` (`bucket_s`,`at`);