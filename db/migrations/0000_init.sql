CREATE TABLE `api_tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`name` text NOT NULL,
	`token_hash` text NOT NULL,
	`role` text NOT NULL,
	`services` text,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_token_hash_unique` ON `api_tokens` (`token_hash`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`username` text NOT NULL,
	`password_hash` text NOT NULL,
	`role` text DEFAULT 'viewer' NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_unique` ON `users` (`username`);--> statement-breakpoint
CREATE TABLE `hosts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`url` text NOT NULL,
	`tls_ca` text,
	`tls_cert` text,
	`tls_key` text,
	`ssh_key` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`last_seen_at` integer,
	`last_error` text,
	`last_error_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `hosts_name_unique` ON `hosts` (`name`);--> statement-breakpoint
CREATE TABLE `release_containers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`release_id` integer NOT NULL,
	`host_id` integer NOT NULL,
	`slot` text NOT NULL,
	`name` text NOT NULL,
	`docker_id` text,
	`port` integer NOT NULL,
	`server_name` text NOT NULL,
	`created_at` integer NOT NULL,
	`removed_at` integer,
	`quarantined_at` integer,
	FOREIGN KEY (`release_id`) REFERENCES `releases`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`host_id`) REFERENCES `hosts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `release_containers_release` ON `release_containers` (`release_id`);--> statement-breakpoint
CREATE TABLE `releases` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`service_id` integer NOT NULL,
	`number` integer NOT NULL,
	`image_ref` text NOT NULL,
	`image_digest` text,
	`image_id` text,
	`spec` text NOT NULL,
	`status` text NOT NULL,
	`failure_reason` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`live_since` integer,
	`standby_since` integer,
	`retired_at` integer,
	FOREIGN KEY (`service_id`) REFERENCES `services`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `releases_service_number` ON `releases` (`service_id`,`number`);--> statement-breakpoint
CREATE TABLE `services` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`spec` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `services_name_unique` ON `services` (`name`);--> statement-breakpoint
CREATE TABLE `operation_steps` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`operation_id` integer NOT NULL,
	`name` text NOT NULL,
	`status` text NOT NULL,
	`detail` text,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	FOREIGN KEY (`operation_id`) REFERENCES `operations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `operation_steps_operation` ON `operation_steps` (`operation_id`);--> statement-breakpoint
CREATE TABLE `operations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`service_id` integer,
	`release_id` integer,
	`status` text NOT NULL,
	`actor` text NOT NULL,
	`input` text DEFAULT '{}' NOT NULL,
	`error` text,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	FOREIGN KEY (`service_id`) REFERENCES `services`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `operations_service_status` ON `operations` (`service_id`,`status`);--> statement-breakpoint
CREATE TABLE `events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor` text NOT NULL,
	`actor_role` text,
	`source_ip` text,
	`action` text NOT NULL,
	`outcome` text NOT NULL,
	`service_name` text,
	`release_number` integer,
	`host_name` text,
	`container_name` text,
	`message` text,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `events_service` ON `events` (`service_name`,`at`);--> statement-breakpoint
CREATE INDEX `events_at` ON `events` (`at`);--> statement-breakpoint
CREATE TABLE `quarantine_extensions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`quarantine_id` integer NOT NULL,
	`by` text NOT NULL,
	`at` integer NOT NULL,
	`added_s` integer NOT NULL,
	`new_deadline` integer NOT NULL,
	FOREIGN KEY (`quarantine_id`) REFERENCES `quarantines`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `quarantine_extensions_quarantine` ON `quarantine_extensions` (`quarantine_id`);--> statement-breakpoint
CREATE TABLE `quarantines` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`release_container_id` integer NOT NULL,
	`host_id` integer NOT NULL,
	`host_name` text NOT NULL,
	`docker_id` text NOT NULL,
	`original_name` text NOT NULL,
	`quarantined_name` text NOT NULL,
	`service_name` text NOT NULL,
	`release_number` integer NOT NULL,
	`replacement_container_id` integer,
	`operation_id` integer,
	`reason` text NOT NULL,
	`quarantined_by` text NOT NULL,
	`quarantined_at` integer NOT NULL,
	`deadline` integer,
	`cancel_reason` text,
	`cancelled_by` text,
	`cancelled_at` integer,
	`warned_at` integer,
	`status` text NOT NULL,
	`forensics_path` text,
	`forensics_bytes` integer,
	`forensics_cap_bytes` integer,
	`forensics_truncated` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer,
	`last_error` text,
	`destroyed_by` text,
	`destroyed_at` integer
);
--> statement-breakpoint
CREATE INDEX `quarantines_status` ON `quarantines` (`status`);--> statement-breakpoint
CREATE INDEX `quarantines_host_container` ON `quarantines` (`host_id`,`docker_id`);--> statement-breakpoint
CREATE TABLE `drift_change_sets` (
	`hash` text PRIMARY KEY NOT NULL,
	`count` integer NOT NULL,
	`changes` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `drift_ignore_rules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`pattern` text NOT NULL,
	`service_name` text,
	`note` text DEFAULT '' NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer
);
--> statement-breakpoint
CREATE TABLE `drift_results` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`scan_host_id` integer NOT NULL,
	`scan_id` integer NOT NULL,
	`docker_id` text NOT NULL,
	`name` text NOT NULL,
	`image` text NOT NULL,
	`state` text NOT NULL,
	`service_name` text,
	`release_id` integer,
	`release_number` integer,
	`release_status` text,
	`accounted` integer NOT NULL,
	`quarantined` integer DEFAULT false NOT NULL,
	`incomplete` integer DEFAULT false NOT NULL,
	`note` text,
	`findings` text DEFAULT '[]' NOT NULL,
	`change_set` text,
	`changes_total` integer DEFAULT 0 NOT NULL,
	`verdict` text NOT NULL,
	`changes_ignored` integer DEFAULT 0 NOT NULL,
	`changes_effective` integer DEFAULT 0 NOT NULL,
	`findings_effective` integer DEFAULT 0 NOT NULL,
	`new_count` integer DEFAULT 0 NOT NULL,
	`resolved_count` integer DEFAULT 0 NOT NULL,
	`delta` text DEFAULT '{"added":[],"resolved":[]}' NOT NULL,
	`duration_ms` integer DEFAULT 0 NOT NULL,
	`scanned_at` integer NOT NULL,
	FOREIGN KEY (`scan_host_id`) REFERENCES `drift_scan_hosts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `drift_results_scan_host` ON `drift_results` (`scan_host_id`);--> statement-breakpoint
CREATE INDEX `drift_results_docker` ON `drift_results` (`docker_id`,`id`);--> statement-breakpoint
CREATE TABLE `drift_scan_hosts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`scan_id` integer NOT NULL,
	`host_id` integer NOT NULL,
	`host_name` text NOT NULL,
	`status` text NOT NULL,
	`engine` text,
	`error` text,
	`notes` text DEFAULT '[]' NOT NULL,
	`containers_total` integer DEFAULT 0 NOT NULL,
	`containers_done` integer DEFAULT 0 NOT NULL,
	`gone` text DEFAULT '[]' NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	FOREIGN KEY (`scan_id`) REFERENCES `drift_scans`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`host_id`) REFERENCES `hosts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `drift_scan_hosts_scan` ON `drift_scan_hosts` (`scan_id`);--> statement-breakpoint
CREATE INDEX `drift_scan_hosts_host` ON `drift_scan_hosts` (`host_id`,`id`);--> statement-breakpoint
CREATE TABLE `drift_scans` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`trigger` text NOT NULL,
	`actor` text NOT NULL,
	`status` text NOT NULL,
	`hosts_total` integer DEFAULT 0 NOT NULL,
	`error` text,
	`started_at` integer NOT NULL,
	`finished_at` integer
);
