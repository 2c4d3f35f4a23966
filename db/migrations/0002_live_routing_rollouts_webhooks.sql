CREATE TABLE `quarantine_transcript` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`quarantine_id` integer NOT NULL,
	`by` text NOT NULL,
	`started_at` integer NOT NULL,
	`argv` text NOT NULL,
	`shell_line` text,
	`exit_code` integer,
	`duration_ms` integer,
	`output` text DEFAULT '' NOT NULL,
	`output_bytes` integer DEFAULT 0 NOT NULL,
	`truncated` integer DEFAULT false NOT NULL,
	`timed_out` integer DEFAULT false NOT NULL,
	`error` text,
	FOREIGN KEY (`quarantine_id`) REFERENCES `quarantines`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `quarantine_transcript_quarantine` ON `quarantine_transcript` (`quarantine_id`);--> statement-breakpoint
CREATE TABLE `haproxy_reloads` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`started_at` integer NOT NULL,
	`duration_ms` integer NOT NULL,
	`outcome` text NOT NULL,
	`error` text,
	`trigger` text NOT NULL
);
--> statement-breakpoint
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
CREATE INDEX `traffic_samples_bucket_at` ON `traffic_samples` (`bucket_s`,`at`);--> statement-breakpoint
CREATE TABLE `rollout_measurements` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`rollout_id` integer NOT NULL,
	`at` integer NOT NULL,
	`step_index` integer NOT NULL,
	`target_percent` integer NOT NULL,
	`window_s` real NOT NULL,
	`candidate_requests` integer NOT NULL,
	`candidate_5xx` integer NOT NULL,
	`candidate_rps` real NOT NULL,
	`candidate_response_ms` real,
	`live_requests` integer NOT NULL,
	`live_5xx` integer NOT NULL,
	`live_rps` real NOT NULL,
	`live_response_ms` real,
	`candidate_sample_requests` integer NOT NULL,
	`live_sample_requests` integer NOT NULL,
	`verdict` text NOT NULL,
	`detail` text,
	FOREIGN KEY (`rollout_id`) REFERENCES `rollouts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `rollout_measurements_rollout` ON `rollout_measurements` (`rollout_id`,`at`);--> statement-breakpoint
CREATE TABLE `rollouts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`operation_id` integer NOT NULL,
	`service_id` integer NOT NULL,
	`candidate_release_id` integer NOT NULL,
	`live_release_id` integer,
	`plan` text NOT NULL,
	`status` text NOT NULL,
	`reason` text,
	`step_index` integer NOT NULL,
	`step_started_at` integer NOT NULL,
	`paused_elapsed_ms` integer,
	`started_by` text NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	FOREIGN KEY (`operation_id`) REFERENCES `operations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`service_id`) REFERENCES `services`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`candidate_release_id`) REFERENCES `releases`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `rollouts_service` ON `rollouts` (`service_id`);--> statement-breakpoint
CREATE TABLE `webhook_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`delivery_id` integer NOT NULL,
	`at` integer NOT NULL,
	`status_code` integer,
	`error` text,
	`duration_ms` integer NOT NULL,
	`trigger` text NOT NULL,
	FOREIGN KEY (`delivery_id`) REFERENCES `webhook_deliveries`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `webhook_attempts_delivery` ON `webhook_attempts` (`delivery_id`);--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`webhook_id` integer NOT NULL,
	`message_id` text NOT NULL,
	`event_id` integer,
	`event` text NOT NULL,
	`payload` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer,
	`lease_until` integer,
	`last_status_code` integer,
	`last_error` text,
	`created_at` integer NOT NULL,
	`delivered_at` integer,
	FOREIGN KEY (`webhook_id`) REFERENCES `webhooks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_deliveries_message` ON `webhook_deliveries` (`webhook_id`,`message_id`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_due` ON `webhook_deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `webhooks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`url` text NOT NULL,
	`description` text,
	`events` text NOT NULL,
	`secret` text NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `releases` ADD `traffic_share_percent` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `quarantines` ADD `forensics_sha256` text;--> statement-breakpoint
ALTER TABLE `quarantines` ADD `processes_at_quarantine` text;--> statement-breakpoint
ALTER TABLE `quarantines` ADD `network_isolation` text;