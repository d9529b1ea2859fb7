// Strict SigV4 authentication with the AWS SDK for Go v1: its SQS client
// (query protocol, forms signed with their body hash) and Kinesis client
// (JSON 1.1) pass when they sign with a configured key; a wrong secret or an
// unknown key get AWS's codes through awserr.
package shoalgo

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/aws/awserr"
	"github.com/aws/aws-sdk-go/aws/credentials"
	"github.com/aws/aws-sdk-go/aws/session"
	"github.com/aws/aws-sdk-go/service/kinesis"
	"github.com/aws/aws-sdk-go/service/sqs"
)

const (
	strictKey    = "AKIDGOSTRICT"
	strictSecret = "go-secret"
)

func strictSession(t *testing.T, endpoint, key, secret string) *session.Session {
	t.Helper()
	sess, err := session.NewSession(&aws.Config{
		Endpoint:    aws.String(endpoint),
		Region:      aws.String("us-east-1"),
		Credentials: credentials.NewStaticCredentials(key, secret, ""),
		MaxRetries:  aws.Int(0),
	})
	if err != nil {
		t.Fatal(err)
	}
	return sess
}

func expectCode(t *testing.T, err error, code string, status int) {
	t.Helper()
	failure, ok := err.(awserr.RequestFailure)
	if !ok {
		t.Fatalf("expected %s, got %v", code, err)
	}
	if failure.Code() != code || failure.StatusCode() != status {
		t.Fatalf("expected %s (%d), got %s (%d): %s", code, status, failure.Code(), failure.StatusCode(), failure.Message())
	}
}

func TestStrictAuthentication(t *testing.T) {
	strict, err := startServer(10*time.Second, "--auth", "strict", "--auth-keys", strictKey+":"+strictSecret)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := strict.Stop(10 * time.Second); err != nil {
			t.Error(err)
		}
	}()

	good := strictSession(t, strict.Endpoint, strictKey, strictSecret)
	queues := sqs.New(good)
	made, err := queues.CreateQueue(&sqs.CreateQueueInput{QueueName: aws.String("go-strict")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := queues.SendMessage(&sqs.SendMessageInput{QueueUrl: made.QueueUrl, MessageBody: aws.String("hi")}); err != nil {
		t.Fatal(err)
	}
	got, err := queues.ReceiveMessage(&sqs.ReceiveMessageInput{QueueUrl: made.QueueUrl})
	if err != nil || len(got.Messages) != 1 || *got.Messages[0].Body != "hi" {
		t.Fatalf("receive: %v %v", got, err)
	}
	streams := kinesis.New(good)
	if _, err := streams.CreateStream(&kinesis.CreateStreamInput{StreamName: aws.String("go-strict"), ShardCount: aws.Int64(1)}); err != nil {
		t.Fatal(err)
	}
	if _, err := streams.ListStreams(&kinesis.ListStreamsInput{}); err != nil {
		t.Fatal(err)
	}

	wrong := strictSession(t, strict.Endpoint, strictKey, "wrong")
	_, err = sqs.New(wrong).ListQueues(&sqs.ListQueuesInput{})
	expectCode(t, err, "SignatureDoesNotMatch", 403)
	_, err = kinesis.New(wrong).ListStreams(&kinesis.ListStreamsInput{})
	expectCode(t, err, "InvalidSignatureException", 400)

	nobody := strictSession(t, strict.Endpoint, "AKIDNOBODY", strictSecret)
	_, err = sqs.New(nobody).ListQueues(&sqs.ListQueuesInput{})
	expectCode(t, err, "InvalidClientTokenId", 403)
	_, err = kinesis.New(nobody).ListStreams(&kinesis.ListStreamsInput{})
	expectCode(t, err, "UnrecognizedClientException", 400)
}
