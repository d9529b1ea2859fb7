"""HTTP/1.1 over TLS (--tls-port) with boto3 trusting the generated
certificate, as a user does with AWS_CA_BUNDLE: the queue URLs handed out say
https and name the TLS port, so a client that talks to the queue URL itself
(the SQS query protocol's older SDKs do) stays on TLS; the same over the plain
port says http. JSON and query protocols both."""

import http.client
import re
import ssl
import unittest

import boto3
from botocore.config import Config

from shoal_server import ShoalServer

server = None


def setUpModule():
    global server
    server = ShoalServer("--tls-port", "0")
    server.start()


def tearDownModule():
    server.stop()


def tls_endpoint():
    """(https endpoint, certificate path) from the start-up line."""
    match = re.search(r"tls on (\S+):(\d+) \([^;]*; certificate ([^)]+)\)", server.stderr_text())
    if match is None:
        raise AssertionError("no tls line in:\n" + server.stderr_text())
    return "https://localhost:%s" % match.group(2), match.group(3)


def sqs(endpoint, verify=None):
    return boto3.client("sqs", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test",
                        aws_secret_access_key="test", verify=verify, config=Config(retries={"max_attempts": 1}))


class TlsQueueUrlTest(unittest.TestCase):
    def test_queue_urls_over_tls_say_https_and_work(self):
        endpoint, cert = tls_endpoint()
        client = sqs(endpoint, verify=cert)
        url = client.create_queue(QueueName="secure-jobs")["QueueUrl"]
        self.assertEqual(url, endpoint + "/000000000000/secure-jobs")
        self.assertEqual(client.get_queue_url(QueueName="secure-jobs")["QueueUrl"], url)
        self.assertIn(url, client.list_queues()["QueueUrls"])
        # The URL is one a client can reach: a client whose endpoint is the queue URL's origin.
        origin = re.match(r"https://[^/]+", url).group(0)
        sqs(origin, verify=cert).send_message(QueueUrl=url, MessageBody="over tls")
        got = client.receive_message(QueueUrl=url, WaitTimeSeconds=1)["Messages"]
        self.assertEqual([m["Body"] for m in got], ["over tls"])

    def test_query_protocol_over_tls_answers_https_urls(self):
        endpoint, cert = tls_endpoint()
        port = int(endpoint.rsplit(":", 1)[1])
        connection = http.client.HTTPSConnection("localhost", port, context=ssl.create_default_context(cafile=cert))
        connection.request("POST", "/", body="Action=CreateQueue&QueueName=secure-query&Version=2012-11-05",
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
        response = connection.getresponse()
        body = response.read().decode()
        connection.close()
        self.assertEqual(response.status, 200, body)
        self.assertIn("<QueueUrl>%s/000000000000/secure-query</QueueUrl>" % endpoint, body)

    def test_the_plain_port_still_hands_out_http(self):
        url = sqs(server.endpoint).create_queue(QueueName="plain-jobs")["QueueUrl"]
        self.assertTrue(url.startswith("http://"), url)


if __name__ == "__main__":
    unittest.main()
