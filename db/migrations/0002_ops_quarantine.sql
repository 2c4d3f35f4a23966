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
ALTER TABLE `quarantines` ADD `forensics_sha256` text;--> statement-breakpoint
ALTER TABLE `quarantines` ADD `processes_at_quarantine` text;--> statement-breakpoint
ALTER TABLE `quarantines` ADD `network_isolation` text;