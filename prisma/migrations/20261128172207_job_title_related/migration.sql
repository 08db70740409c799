-- Job: its title as the Jobs page shows it, and the undo <-> import link.
-- Added in place (a table rebuild would cascade-delete JobContactChange rows).
ALTER TABLE "Job" ADD COLUMN "title" TEXT NOT NULL DEFAULT '';
ALTER TABLE "Job" ADD COLUMN "relatedJobId" INTEGER;
