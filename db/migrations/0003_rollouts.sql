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
CREATE INDEX `rollouts_service` ON `rollouts` (`service_id`);