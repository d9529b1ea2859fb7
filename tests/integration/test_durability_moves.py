"""Dead-letter moves, message move tasks and resets across a kill -9 with --data-dir.

What a user would notice after a crash and restart:
  - a message that receives moved to the dead-letter queue is in the DLQ once,
    with its MessageId, body, ApproximateReceiveCount and
    DeadLetterQueueSourceArn, and not back in its source queue;
  - messages StartMessageMoveTask moved back are in the source once and gone
    from the DLQ; ListMessageMoveTasks still shows the task, and a task killed
    halfway carries on where it was, moving nothing twice;
  - after POST /_shoal/reset nothing comes back: no queue, no move task, no
    Kinesis account setting.

Run it alone:  python3 -m unittest -v test_durability_moves
"""

import shutil
import tempfile
import unittest
import urllib.parse

from control_client import client, ok
from shoal_server import ShoalServer, stop_checked

ACCOUNT = "000000000000"


class DurableMovesTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="shoal-moves-")
        self.server = None

    def tearDown(self):
        if self.server is not None:
            self.server.kill()
        shutil.rmtree(self.dir, ignore_errors=True)

    def start(self):
        self.server = ShoalServer("--data-dir", self.dir, "--fsync", "always")
        self.server.start()
        self.sqs = client("sqs", self.server.endpoint)
        self.kinesis = client("kinesis", self.server.endpoint)

    def crash_and_restart(self):
        self.server.kill()  # SIGKILL: no graceful flush
        self.start()
        self.assertIn("recovered", self.server.stderr_text())

    def url(self, name):
        return self.sqs.get_queue_url(QueueName=name)["QueueUrl"]

    def peek(self, name):
        """Every message of the queue, received or not, without changing anything."""
        query = urllib.parse.urlencode({"QueueUrl": self.url(name)})
        return ok(self.server, "GET", "/_shoal/sqs/messages?" + query).get("Messages", [])

    def bodies(self, name):
        return sorted(m["Body"] for m in self.peek(name))

    def create_pair(self, max_receive_count=1):
        dlq = self.sqs.create_queue(QueueName="orders-dlq")["QueueUrl"]
        arn = self.sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        source = self.sqs.create_queue(QueueName="orders", Attributes={
            "RedrivePolicy": '{"deadLetterTargetArn":"%s","maxReceiveCount":"%d"}' % (arn, max_receive_count)})["QueueUrl"]
        return source, dlq, arn

    def test_dead_letter_moves_and_move_tasks_survive_kill_9_exactly_once(self):
        self.start()
        source, dlq, dlq_arn = self.create_pair()
        source_arn = self.sqs.get_queue_attributes(QueueUrl=source, AttributeNames=["QueueArn"])[
            "Attributes"]["QueueArn"]
        sent = {}
        for i in range(0, 20, 10):
            out = self.sqs.send_message_batch(QueueUrl=source, Entries=[
                {"Id": str(j), "MessageBody": "m%02d" % (i + j)} for j in range(10)])
            for result in out["Successful"]:
                sent["m%02d" % (i + int(result["Id"]))] = result["MessageId"]
        # First receives deliver (visibility 0: visible again at once), the next move them.
        delivered = 0
        while delivered < 20:
            delivered += len(self.sqs.receive_message(QueueUrl=source, MaxNumberOfMessages=10,
                                                      VisibilityTimeout=0).get("Messages", []))
        self.assertEqual(self.sqs.receive_message(QueueUrl=source, MaxNumberOfMessages=10).get("Messages", []), [])

        self.crash_and_restart()
        self.assertEqual(self.bodies("orders"), [], "dead-lettered messages came back to their source")
        self.assertEqual(self.bodies("orders-dlq"), sorted(sent), "DLQ lost or doubled a message")
        by_body = {m["Body"]: m for m in self.peek("orders-dlq")}
        for body, message_id in sent.items():
            self.assertEqual(by_body[body]["MessageId"], message_id)
            self.assertEqual(by_body[body]["ReceiveCount"], 1)

        # Move them all back (system rate: at once), then crash.
        task = self.sqs.start_message_move_task(SourceArn=dlq_arn)["TaskHandle"]
        self.assertTrue(task)
        self.crash_and_restart()
        self.assertEqual(self.bodies("orders-dlq"), [])
        self.assertEqual(self.bodies("orders"), sorted(sent), "a moved message was lost or doubled")
        tasks = self.sqs.list_message_move_tasks(SourceArn=dlq_arn)["Results"]
        self.assertEqual(len(tasks), 1)
        self.assertEqual(tasks[0]["Status"], "COMPLETED")
        self.assertEqual(tasks[0]["ApproximateNumberOfMessagesMoved"], 20)
        self.assertEqual(tasks[0]["ApproximateNumberOfMessagesToMove"], 20)
        # Back in their source, they count receives afresh: the first one delivers.
        got = self.sqs.receive_message(QueueUrl=source, MaxNumberOfMessages=10, VisibilityTimeout=0,
                                       AttributeNames=["ApproximateReceiveCount"])["Messages"]
        self.assertEqual({m["Attributes"]["ApproximateReceiveCount"] for m in got}, {"1"})

        # Into the DLQ again; it says where each message came from.
        for _ in range(3):
            self.sqs.receive_message(QueueUrl=source, MaxNumberOfMessages=10, VisibilityTimeout=0)
        while len(self.bodies("orders-dlq")) < 20:
            self.sqs.receive_message(QueueUrl=source, MaxNumberOfMessages=10, VisibilityTimeout=0)
        self.crash_and_restart()
        got = self.sqs.receive_message(QueueUrl=dlq, MaxNumberOfMessages=10, VisibilityTimeout=0,
                                       MessageSystemAttributeNames=["All"])["Messages"]
        self.assertTrue(got)
        for m in got:
            self.assertEqual(m["Attributes"]["DeadLetterQueueSourceArn"], source_arn)
        stop_checked(self.server)
        self.server = None

    def test_a_rate_limited_move_task_killed_halfway_carries_on_without_doubles(self):
        self.start()
        source, dlq, dlq_arn = self.create_pair()
        bodies = ["t%02d" % i for i in range(10)]
        self.sqs.send_message_batch(QueueUrl=source, Entries=[{"Id": b, "MessageBody": b} for b in bodies])
        while len(self.bodies("orders-dlq")) < 10:
            self.sqs.receive_message(QueueUrl=source, MaxNumberOfMessages=10, VisibilityTimeout=0)
        ok(self.server, "POST", "/_shoal/clock/freeze")  # engine time stands still: one message moves
        handle = self.sqs.start_message_move_task(SourceArn=dlq_arn, MaxNumberOfMessagesPerSecond=1)["TaskHandle"]

        self.crash_and_restart()  # the clock runs again after a restart
        ok(self.server, "POST", "/_shoal/clock/freeze")
        task = self.sqs.list_message_move_tasks(SourceArn=dlq_arn)["Results"][0]
        self.assertEqual(task["TaskHandle"], handle)
        in_source, in_dlq = self.bodies("orders"), self.bodies("orders-dlq")
        self.assertEqual(sorted(in_source + in_dlq), bodies, "a message was lost or is in both queues")
        self.assertEqual(task["ApproximateNumberOfMessagesMoved"], len(in_source))
        self.assertGreaterEqual(len(in_source), 1)
        if task["Status"] == "RUNNING":
            ok(self.server, "POST", "/_shoal/clock/advance?seconds=30")
        task = self.sqs.list_message_move_tasks(SourceArn=dlq_arn)["Results"][0]
        self.assertEqual(task["Status"], "COMPLETED")
        self.assertEqual(task["ApproximateNumberOfMessagesMoved"], 10)
        self.assertEqual(self.bodies("orders"), bodies)
        self.assertEqual(self.bodies("orders-dlq"), [])

        self.crash_and_restart()
        self.assertEqual(self.bodies("orders"), bodies)
        self.assertEqual(self.bodies("orders-dlq"), [])
        self.assertEqual(self.sqs.list_message_move_tasks(SourceArn=dlq_arn)["Results"][0]["Status"], "COMPLETED")

    def test_nothing_comes_back_after_a_reset(self):
        self.start()
        source, dlq, dlq_arn = self.create_pair()
        self.sqs.send_message(QueueUrl=source, MessageBody="x")
        while not self.bodies("orders-dlq"):
            self.sqs.receive_message(QueueUrl=source, VisibilityTimeout=0)
        self.sqs.start_message_move_task(SourceArn=dlq_arn, MaxNumberOfMessagesPerSecond=1)
        self.kinesis.update_account_settings(MinimumThroughputBillingCommitment={"Status": "ENABLED"})
        self.assertEqual(self.kinesis.describe_account_settings()["MinimumThroughputBillingCommitment"]["Status"],
                         "ENABLED")
        self.kinesis.create_stream(StreamName="events", ShardCount=1)
        ok(self.server, "POST", "/_shoal/reset")

        self.crash_and_restart()
        self.assertNotIn("QueueUrls", self.sqs.list_queues())
        self.assertEqual(self.kinesis.list_streams()["StreamNames"], [])
        self.assertEqual(self.kinesis.describe_account_settings()["MinimumThroughputBillingCommitment"]["Status"],
                         "DISABLED")
        # A queue of the same name starts empty and with no move task behind it.
        dlq = self.sqs.create_queue(QueueName="orders-dlq")["QueueUrl"]
        self.assertEqual(self.sqs.list_message_move_tasks(SourceArn=dlq_arn).get("Results", []), [])
        self.assertEqual(self.bodies("orders-dlq"), [])


if __name__ == "__main__":
    unittest.main()
