-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "workspace" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "outboundwebhookurl" TEXT,
    "webhooksecret" TEXT,
    "eventseq" INTEGER NOT NULL DEFAULT 0,
    "createdat" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedat" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "workspace_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agent" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "passwordhash" TEXT NOT NULL,
    "avatarurl" TEXT,
    "createdat" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedat" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "agent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "membership" (
    "id" SERIAL NOT NULL,
    "workspaceid" INTEGER NOT NULL,
    "agentid" INTEGER NOT NULL,
    "role" TEXT NOT NULL,
    "createdat" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "membership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "session" (
    "id" SERIAL NOT NULL,
    "tokenhash" TEXT NOT NULL,
    "agentid" INTEGER NOT NULL,
    "createdat" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastseenat" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresat" TIMESTAMP(3) NOT NULL,
    "revokedat" TIMESTAMP(3),
    "useragent" TEXT,
    "ip" TEXT,

    CONSTRAINT "session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "apikey" (
    "id" SERIAL NOT NULL,
    "workspaceid" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "keyhash" TEXT NOT NULL,
    "createdbyid" INTEGER,
    "createdat" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastusedat" TIMESTAMP(3),
    "revokedat" TIMESTAMP(3),

    CONSTRAINT "apikey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contact" (
    "id" SERIAL NOT NULL,
    "workspaceid" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "channeluserid" TEXT NOT NULL,
    "firstname" TEXT,
    "lastname" TEXT,
    "namekey" TEXT NOT NULL DEFAULT '',
    "gender" TEXT,
    "language" TEXT,
    "timezone" TEXT,
    "avatarurl" TEXT,
    "email" TEXT,
    "phone" TEXT,
    "country" TEXT,
    "subscribedat" TIMESTAMP(3),
    "lastinteractionat" TIMESTAMP(3),
    "createdat" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedat" TIMESTAMP(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "importjobid" INTEGER,

    CONSTRAINT "contact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tag" (
    "id" SERIAL NOT NULL,
    "workspaceid" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "color" TEXT,
    "createdat" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tag_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contacttag" (
    "contactid" INTEGER NOT NULL,
    "tagid" INTEGER NOT NULL,
    "createdat" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "contacttag_pkey" PRIMARY KEY ("contactid","tagid")
);

-- CreateTable
CREATE TABLE "note" (
    "id" SERIAL NOT NULL,
    "workspaceid" INTEGER NOT NULL,
    "contactid" INTEGER NOT NULL,
    "authorid" INTEGER,
    "body" TEXT NOT NULL,
    "createdat" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedat" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "note_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sequence" (
    "id" SERIAL NOT NULL,
    "workspaceid" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "createdat" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sequence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contactsequence" (
    "contactid" INTEGER NOT NULL,
    "sequenceid" INTEGER NOT NULL,
    "subscribedat" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "contactsequence_pkey" PRIMARY KEY ("contactid","sequenceid")
);

-- CreateTable
CREATE TABLE "otntopic" (
    "id" SERIAL NOT NULL,
    "workspaceid" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "createdat" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "otntopic_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contactotntopic" (
    "contactid" INTEGER NOT NULL,
    "topicid" INTEGER NOT NULL,
    "optedinat" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "contactotntopic_pkey" PRIMARY KEY ("contactid","topicid")
);

-- CreateTable
CREATE TABLE "customfield" (
    "id" SERIAL NOT NULL,
    "workspaceid" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "options" JSONB,
    "position" INTEGER NOT NULL DEFAULT 0,
    "createdat" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedat" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "customfield_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "fieldvalue" (
    "contactid" INTEGER NOT NULL,
    "fieldid" INTEGER NOT NULL,
    "text" TEXT,
    "textkey" TEXT,
    "number" DOUBLE PRECISION,
    "time" TIMESTAMP(3),
    "updatedat" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "fieldvalue_pkey" PRIMARY KEY ("contactid","fieldid")
);

-- CreateTable
CREATE TABLE "segment" (
    "id" SERIAL NOT NULL,
    "workspaceid" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "filter" JSONB NOT NULL,
    "authorid" INTEGER,
    "createdat" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedat" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "segment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "conversation" (
    "id" SERIAL NOT NULL,
    "workspaceid" INTEGER NOT NULL,
    "contactid" INTEGER NOT NULL,
    "channel" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "assigneeid" INTEGER,
    "lastmessageat" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "preview" TEXT NOT NULL DEFAULT '',
    "unreadcount" INTEGER NOT NULL DEFAULT 0,
    "createdat" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedat" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "conversation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "message" (
    "id" SERIAL NOT NULL,
    "workspaceid" INTEGER NOT NULL,
    "conversationid" INTEGER NOT NULL,
    "contactid" INTEGER NOT NULL,
    "direction" TEXT NOT NULL,
    "authorkind" TEXT NOT NULL,
    "agentid" INTEGER,
    "body" TEXT NOT NULL,
    "externalid" TEXT,
    "deliverystatus" TEXT,
    "createdat" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbounddelivery" (
    "id" SERIAL NOT NULL,
    "messageid" INTEGER NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "nextattemptat" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lasterror" TEXT,
    "createdat" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedat" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "outbounddelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "widgetsession" (
    "id" SERIAL NOT NULL,
    "tokenhash" TEXT NOT NULL,
    "workspaceid" INTEGER NOT NULL,
    "contactid" INTEGER NOT NULL,
    "createdat" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastseenat" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "widgetsession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "job" (
    "id" SERIAL NOT NULL,
    "workspaceid" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "title" TEXT NOT NULL DEFAULT '',
    "params" JSONB,
    "readcount" INTEGER NOT NULL DEFAULT 0,
    "createdcount" INTEGER NOT NULL DEFAULT 0,
    "updatedcount" INTEGER NOT NULL DEFAULT 0,
    "skippedcount" INTEGER NOT NULL DEFAULT 0,
    "rejectedcount" INTEGER NOT NULL DEFAULT 0,
    "totalcount" INTEGER,
    "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "checkpoint" JSONB,
    "inputfile" TEXT,
    "resultfile" TEXT,
    "errorfile" TEXT,
    "error" TEXT,
    "authorid" INTEGER,
    "relatedjobid" INTEGER,
    "leaseowner" TEXT,
    "leaseuntil" TIMESTAMP(3),
    "createdat" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedat" TIMESTAMP(3),
    "finishedat" TIMESTAMP(3),
    "updatedat" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "jobcontactchange" (
    "id" SERIAL NOT NULL,
    "jobid" INTEGER NOT NULL,
    "contactid" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "before" JSONB,
    "version" INTEGER NOT NULL,

    CONSTRAINT "jobcontactchange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "auditevent" (
    "id" SERIAL NOT NULL,
    "workspaceid" INTEGER NOT NULL,
    "actorkind" TEXT NOT NULL,
    "actorid" INTEGER,
    "contactid" INTEGER,
    "action" TEXT NOT NULL,
    "changes" JSONB,
    "createdat" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "auditevent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "layoutpreference" (
    "id" SERIAL NOT NULL,
    "workspaceid" INTEGER NOT NULL,
    "agentid" INTEGER,
    "surface" TEXT NOT NULL,
    "fields" JSONB NOT NULL,
    "updatedat" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "layoutpreference_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "eventlog" (
    "id" SERIAL NOT NULL,
    "workspaceid" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "room" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "contactid" INTEGER,
    "createdat" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "eventlog_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "agent_email_key" ON "agent"("email");

-- CreateIndex
CREATE INDEX "membership_agentid_idx" ON "membership"("agentid");

-- CreateIndex
CREATE UNIQUE INDEX "membership_workspaceid_agentid_key" ON "membership"("workspaceid", "agentid");

-- CreateIndex
CREATE UNIQUE INDEX "session_tokenhash_key" ON "session"("tokenhash");

-- CreateIndex
CREATE INDEX "session_agentid_idx" ON "session"("agentid");

-- CreateIndex
CREATE UNIQUE INDEX "apikey_keyhash_key" ON "apikey"("keyhash");

-- CreateIndex
CREATE INDEX "apikey_workspaceid_idx" ON "apikey"("workspaceid");

-- CreateIndex
CREATE INDEX "contact_workspaceid_lastinteractionat_id_idx" ON "contact"("workspaceid", "lastinteractionat", "id");

-- CreateIndex
CREATE INDEX "contact_workspaceid_subscribedat_id_idx" ON "contact"("workspaceid", "subscribedat", "id");

-- CreateIndex
CREATE INDEX "contact_workspaceid_namekey_id_idx" ON "contact"("workspaceid", "namekey", "id");

-- CreateIndex
CREATE INDEX "contact_workspaceid_createdat_id_idx" ON "contact"("workspaceid", "createdat", "id");

-- CreateIndex
CREATE INDEX "contact_workspaceid_phone_idx" ON "contact"("workspaceid", "phone");

-- CreateIndex
CREATE INDEX "contact_workspaceid_email_idx" ON "contact"("workspaceid", "email");

-- CreateIndex
CREATE INDEX "contact_importjobid_idx" ON "contact"("importjobid");

-- CreateIndex
CREATE UNIQUE INDEX "contact_workspaceid_channel_channeluserid_key" ON "contact"("workspaceid", "channel", "channeluserid");

-- CreateIndex
CREATE UNIQUE INDEX "tag_workspaceid_name_key" ON "tag"("workspaceid", "name");

-- CreateIndex
CREATE INDEX "contacttag_tagid_contactid_idx" ON "contacttag"("tagid", "contactid");

-- CreateIndex
CREATE INDEX "note_contactid_createdat_idx" ON "note"("contactid", "createdat");

-- CreateIndex
CREATE UNIQUE INDEX "sequence_workspaceid_name_key" ON "sequence"("workspaceid", "name");

-- CreateIndex
CREATE INDEX "contactsequence_sequenceid_contactid_idx" ON "contactsequence"("sequenceid", "contactid");

-- CreateIndex
CREATE UNIQUE INDEX "otntopic_workspaceid_name_key" ON "otntopic"("workspaceid", "name");

-- CreateIndex
CREATE INDEX "contactotntopic_topicid_contactid_idx" ON "contactotntopic"("topicid", "contactid");

-- CreateIndex
CREATE UNIQUE INDEX "customfield_workspaceid_key_key" ON "customfield"("workspaceid", "key");

-- CreateIndex
CREATE INDEX "fieldvalue_fieldid_textkey_contactid_idx" ON "fieldvalue"("fieldid", "textkey", "contactid");

-- CreateIndex
CREATE INDEX "fieldvalue_fieldid_number_contactid_idx" ON "fieldvalue"("fieldid", "number", "contactid");

-- CreateIndex
CREATE INDEX "fieldvalue_fieldid_time_contactid_idx" ON "fieldvalue"("fieldid", "time", "contactid");

-- CreateIndex
CREATE UNIQUE INDEX "segment_workspaceid_name_key" ON "segment"("workspaceid", "name");

-- CreateIndex
CREATE INDEX "conversation_workspaceid_lastmessageat_id_idx" ON "conversation"("workspaceid", "lastmessageat", "id");

-- CreateIndex
CREATE INDEX "conversation_workspaceid_status_lastmessageat_idx" ON "conversation"("workspaceid", "status", "lastmessageat");

-- CreateIndex
CREATE INDEX "conversation_contactid_status_idx" ON "conversation"("contactid", "status");

-- CreateIndex
CREATE INDEX "message_conversationid_createdat_id_idx" ON "message"("conversationid", "createdat", "id");

-- CreateIndex
CREATE INDEX "message_contactid_externalid_idx" ON "message"("contactid", "externalid");

-- CreateIndex
CREATE UNIQUE INDEX "message_conversationid_externalid_key" ON "message"("conversationid", "externalid");

-- CreateIndex
CREATE INDEX "outbounddelivery_status_nextattemptat_idx" ON "outbounddelivery"("status", "nextattemptat");

-- CreateIndex
CREATE UNIQUE INDEX "widgetsession_tokenhash_key" ON "widgetsession"("tokenhash");

-- CreateIndex
CREATE INDEX "job_workspaceid_createdat_idx" ON "job"("workspaceid", "createdat");

-- CreateIndex
CREATE INDEX "job_status_idx" ON "job"("status");

-- CreateIndex
CREATE INDEX "jobcontactchange_jobid_idx" ON "jobcontactchange"("jobid");

-- CreateIndex
CREATE INDEX "jobcontactchange_contactid_idx" ON "jobcontactchange"("contactid");

-- CreateIndex
CREATE INDEX "auditevent_contactid_createdat_idx" ON "auditevent"("contactid", "createdat");

-- CreateIndex
CREATE INDEX "auditevent_workspaceid_createdat_idx" ON "auditevent"("workspaceid", "createdat");

-- CreateIndex
CREATE UNIQUE INDEX "layoutpreference_workspaceid_agentid_surface_key" ON "layoutpreference"("workspaceid", "agentid", "surface");

-- CreateIndex
CREATE INDEX "eventlog_createdat_idx" ON "eventlog"("createdat");

-- CreateIndex
CREATE INDEX "eventlog_contactid_idx" ON "eventlog"("contactid");

-- CreateIndex
CREATE UNIQUE INDEX "eventlog_workspaceid_seq_key" ON "eventlog"("workspaceid", "seq");

-- AddForeignKey
ALTER TABLE "membership" ADD CONSTRAINT "membership_workspaceid_fkey" FOREIGN KEY ("workspaceid") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "membership" ADD CONSTRAINT "membership_agentid_fkey" FOREIGN KEY ("agentid") REFERENCES "agent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session" ADD CONSTRAINT "session_agentid_fkey" FOREIGN KEY ("agentid") REFERENCES "agent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "apikey" ADD CONSTRAINT "apikey_workspaceid_fkey" FOREIGN KEY ("workspaceid") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "apikey" ADD CONSTRAINT "apikey_createdbyid_fkey" FOREIGN KEY ("createdbyid") REFERENCES "agent"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact" ADD CONSTRAINT "contact_workspaceid_fkey" FOREIGN KEY ("workspaceid") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tag" ADD CONSTRAINT "tag_workspaceid_fkey" FOREIGN KEY ("workspaceid") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contacttag" ADD CONSTRAINT "contacttag_contactid_fkey" FOREIGN KEY ("contactid") REFERENCES "contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contacttag" ADD CONSTRAINT "contacttag_tagid_fkey" FOREIGN KEY ("tagid") REFERENCES "tag"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "note" ADD CONSTRAINT "note_contactid_fkey" FOREIGN KEY ("contactid") REFERENCES "contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "note" ADD CONSTRAINT "note_authorid_fkey" FOREIGN KEY ("authorid") REFERENCES "agent"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sequence" ADD CONSTRAINT "sequence_workspaceid_fkey" FOREIGN KEY ("workspaceid") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contactsequence" ADD CONSTRAINT "contactsequence_contactid_fkey" FOREIGN KEY ("contactid") REFERENCES "contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contactsequence" ADD CONSTRAINT "contactsequence_sequenceid_fkey" FOREIGN KEY ("sequenceid") REFERENCES "sequence"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "otntopic" ADD CONSTRAINT "otntopic_workspaceid_fkey" FOREIGN KEY ("workspaceid") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contactotntopic" ADD CONSTRAINT "contactotntopic_contactid_fkey" FOREIGN KEY ("contactid") REFERENCES "contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contactotntopic" ADD CONSTRAINT "contactotntopic_topicid_fkey" FOREIGN KEY ("topicid") REFERENCES "otntopic"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customfield" ADD CONSTRAINT "customfield_workspaceid_fkey" FOREIGN KEY ("workspaceid") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "fieldvalue" ADD CONSTRAINT "fieldvalue_contactid_fkey" FOREIGN KEY ("contactid") REFERENCES "contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "fieldvalue" ADD CONSTRAINT "fieldvalue_fieldid_fkey" FOREIGN KEY ("fieldid") REFERENCES "customfield"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "segment" ADD CONSTRAINT "segment_workspaceid_fkey" FOREIGN KEY ("workspaceid") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "segment" ADD CONSTRAINT "segment_authorid_fkey" FOREIGN KEY ("authorid") REFERENCES "agent"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conversation" ADD CONSTRAINT "conversation_workspaceid_fkey" FOREIGN KEY ("workspaceid") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conversation" ADD CONSTRAINT "conversation_contactid_fkey" FOREIGN KEY ("contactid") REFERENCES "contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conversation" ADD CONSTRAINT "conversation_assigneeid_fkey" FOREIGN KEY ("assigneeid") REFERENCES "agent"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "message" ADD CONSTRAINT "message_conversationid_fkey" FOREIGN KEY ("conversationid") REFERENCES "conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "message" ADD CONSTRAINT "message_agentid_fkey" FOREIGN KEY ("agentid") REFERENCES "agent"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outbounddelivery" ADD CONSTRAINT "outbounddelivery_messageid_fkey" FOREIGN KEY ("messageid") REFERENCES "message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "widgetsession" ADD CONSTRAINT "widgetsession_contactid_fkey" FOREIGN KEY ("contactid") REFERENCES "contact"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "job" ADD CONSTRAINT "job_workspaceid_fkey" FOREIGN KEY ("workspaceid") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "job" ADD CONSTRAINT "job_authorid_fkey" FOREIGN KEY ("authorid") REFERENCES "agent"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "jobcontactchange" ADD CONSTRAINT "jobcontactchange_jobid_fkey" FOREIGN KEY ("jobid") REFERENCES "job"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "auditevent" ADD CONSTRAINT "auditevent_workspaceid_fkey" FOREIGN KEY ("workspaceid") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "layoutpreference" ADD CONSTRAINT "layoutpreference_workspaceid_fkey" FOREIGN KEY ("workspaceid") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "layoutpreference" ADD CONSTRAINT "layoutpreference_agentid_fkey" FOREIGN KEY ("agentid") REFERENCES "agent"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "eventlog" ADD CONSTRAINT "eventlog_workspaceid_fkey" FOREIGN KEY ("workspaceid") REFERENCES "workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;
