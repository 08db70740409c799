-- AlterTable
ALTER TABLE "EventLog" ADD COLUMN "contactId" INTEGER;

-- CreateIndex
CREATE INDEX "EventLog_contactId_idx" ON "EventLog"("contactId");
