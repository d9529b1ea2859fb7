// Every SQS action of the AWS SDK for Go v1 (Debian's 1.44.133, whose SQS
// client speaks only the query protocol: form bodies with Action=..., XML
// answers) against the real binary. A recording transport proves each
// request really is a query-protocol form. The SDK checks body MD5s itself;
// attribute digests are checked here (sqs_md5_test.go). Dead-letter actions
// (ListDeadLetterSourceQueues, RedrivePolicy moves) are covered elsewhere.
package shoalgo

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/aws/awserr"
	"github.com/aws/aws-sdk-go/aws/credentials"
	"github.com/aws/aws-sdk-go/aws/session"
	"github.com/aws/aws-sdk-go/service/sqs"
)

var (
	server   *shoalServer
	client   *sqs.SQS
	recorder = &recordingTransport{next: http.DefaultTransport}
	seq      int
	seqMu    sync.Mutex
)

// recordingTransport keeps the form of every request the SDK sends.
type recordingTransport struct {
	next  http.RoundTripper
	mu    sync.Mutex
	forms []url.Values
	types []string
}

func (t *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
		form, _ := url.ParseQuery(string(body))
		t.mu.Lock()
		t.forms = append(t.forms, form)
		t.types = append(t.types, req.Header.Get("Content-Type"))
		t.mu.Unlock()
	}
	return t.next.RoundTrip(req)
}

func (t *recordingTransport) last() (url.Values, string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.forms[len(t.forms)-1], t.types[len(t.types)-1]
}

func TestMain(m *testing.M) {
	var err error
	server, err = startServer(10 * time.Second)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	sess, err := session.NewSession(&aws.Config{
		Endpoint:    aws.String(server.Endpoint),
		Region:      aws.String("us-east-1"),
		Credentials: credentials.NewStaticCredentials("AKIAIOSFODNN7EXAMPLE", "secret", ""),
		MaxRetries:  aws.Int(0),
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		_ = server.Stop(10 * time.Second)
		os.Exit(1)
	}
	// Set on the client, not the session: a session given a custom transport
	// fails when the environment names a CA bundle (AWS_CA_BUNDLE).
	client = sqs.New(sess, &aws.Config{HTTPClient: &http.Client{Transport: recorder, Timeout: 30 * time.Second}})
	code := m.Run()
	if err := server.Stop(10 * time.Second); err != nil {
		fmt.Fprintln(os.Stderr, err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

// --- helpers ------------------------------------------------------------------

func uniqueName(prefix string) string {
	seqMu.Lock()
	defer seqMu.Unlock()
	seq++
	return fmt.Sprintf("%s-%d-%d", prefix, time.Now().UnixNano()%1_000_000_000, seq)
}

func newQueue(t *testing.T, prefix string, attrs map[string]string) string {
	t.Helper()
	in := &sqs.CreateQueueInput{QueueName: aws.String(uniqueName(prefix))}
	if attrs != nil {
		in.Attributes = aws.StringMap(attrs)
	}
	out, err := client.CreateQueue(in)
	if err != nil {
		t.Fatalf("CreateQueue: %v", err)
	}
	return *out.QueueUrl
}

func newFifoQueue(t *testing.T, prefix string, attrs map[string]string) string {
	t.Helper()
	all := map[string]string{"FifoQueue": "true"}
	for k, v := range attrs {
		all[k] = v
	}
	out, err := client.CreateQueue(&sqs.CreateQueueInput{
		QueueName: aws.String(uniqueName(prefix) + ".fifo"), Attributes: aws.StringMap(all)})
	if err != nil {
		t.Fatalf("CreateQueue fifo: %v", err)
	}
	return *out.QueueUrl
}

// wantError checks the code the SDK reports, the HTTP status and that the
// message is not empty.
func wantError(t *testing.T, err error, code string, status int) awserr.RequestFailure {
	t.Helper()
	if err == nil {
		t.Fatalf("want error %s, got success", code)
	}
	var failure awserr.RequestFailure
	if !errors.As(err, &failure) {
		t.Fatalf("want a service error %s, got %T: %v", code, err, err)
	}
	if failure.Code() != code {
		t.Fatalf("want code %s, got %s (%s)", code, failure.Code(), failure.Message())
	}
	if failure.StatusCode() != status {
		t.Fatalf("want HTTP %d for %s, got %d", status, code, failure.StatusCode())
	}
	if failure.Message() == "" {
		t.Fatalf("error %s has no message", code)
	}
	if failure.RequestID() == "" {
		t.Fatalf("error %s has no request id", code)
	}
	return failure
}

func attributes(t *testing.T, queueURL string, names ...string) map[string]string {
	t.Helper()
	out, err := client.GetQueueAttributes(&sqs.GetQueueAttributesInput{
		QueueUrl: aws.String(queueURL), AttributeNames: aws.StringSlice(names)})
	if err != nil {
		t.Fatalf("GetQueueAttributes: %v", err)
	}
	return aws.StringValueMap(out.Attributes)
}

func receive(t *testing.T, queueURL string, in sqs.ReceiveMessageInput) []*sqs.Message {
	t.Helper()
	in.QueueUrl = aws.String(queueURL)
	out, err := client.ReceiveMessage(&in)
	if err != nil {
		t.Fatalf("ReceiveMessage: %v", err)
	}
	return out.Messages
}

func send(t *testing.T, queueURL, body string) *sqs.SendMessageOutput {
	t.Helper()
	out, err := client.SendMessage(&sqs.SendMessageInput{QueueUrl: aws.String(queueURL), MessageBody: aws.String(body)})
	if err != nil {
		t.Fatalf("SendMessage: %v", err)
	}
	return out
}

// --- the wire ---------------------------------------------------------------------

func TestRequestsAreQueryProtocolForms(t *testing.T) {
	newQueue(t, "wire", nil)
	form, contentType := recorder.last()
	if !strings.HasPrefix(contentType, "application/x-www-form-urlencoded") {
		t.Fatalf("Content-Type %q is not a form", contentType)
	}
	if form.Get("Action") != "CreateQueue" || form.Get("Version") != "2012-11-05" {
		t.Fatalf("form has Action=%q Version=%q", form.Get("Action"), form.Get("Version"))
	}
}

// --- queues -------------------------------------------------------------------------

func TestCreateStandardQueueWithAttributesAndTags(t *testing.T) {
	name := uniqueName("std")
	attrs := map[string]string{
		"VisibilityTimeout": "45", "DelaySeconds": "3", "MaximumMessageSize": "2048",
		"MessageRetentionPeriod": "7200", "ReceiveMessageWaitTimeSeconds": "2",
	}
	out, err := client.CreateQueue(&sqs.CreateQueueInput{
		QueueName: aws.String(name), Attributes: aws.StringMap(attrs),
		Tags: aws.StringMap(map[string]string{"team": "shoal", "env": "test"})})
	if err != nil {
		t.Fatal(err)
	}
	url := *out.QueueUrl
	if !strings.HasSuffix(url, "/000000000000/"+name) {
		t.Fatalf("queue URL %s", url)
	}
	got := attributes(t, url, "All")
	for k, v := range attrs {
		if got[k] != v {
			t.Errorf("attribute %s = %q, want %q", k, got[k], v)
		}
	}
	if got["QueueArn"] != "arn:aws:sqs:us-east-1:000000000000:"+name {
		t.Errorf("QueueArn %q", got["QueueArn"])
	}
	for _, k := range []string{"CreatedTimestamp", "LastModifiedTimestamp", "ApproximateNumberOfMessages"} {
		if _, err := strconv.ParseInt(got[k], 10, 64); err != nil {
			t.Errorf("attribute %s = %q is not a number", k, got[k])
		}
	}
	if _, ok := got["FifoQueue"]; ok {
		t.Errorf("a standard queue reports FifoQueue")
	}
	tags, err := client.ListQueueTags(&sqs.ListQueueTagsInput{QueueUrl: aws.String(url)})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(aws.StringValueMap(tags.Tags)) != "map[env:test team:shoal]" {
		t.Errorf("tags %v", aws.StringValueMap(tags.Tags))
	}

	byName, err := client.GetQueueUrl(&sqs.GetQueueUrlInput{QueueName: aws.String(name)})
	if err != nil || *byName.QueueUrl != url {
		t.Fatalf("GetQueueUrl: %v %v", byName, err)
	}
	again, err := client.CreateQueue(&sqs.CreateQueueInput{QueueName: aws.String(name), Attributes: aws.StringMap(attrs)})
	if err != nil || *again.QueueUrl != url {
		t.Fatalf("CreateQueue with the same attributes is not idempotent: %v %v", again, err)
	}
	_, err = client.CreateQueue(&sqs.CreateQueueInput{QueueName: aws.String(name),
		Attributes: aws.StringMap(map[string]string{"VisibilityTimeout": "46"})})
	wantError(t, err, sqs.ErrCodeQueueNameExists, 400)
}

func TestCreateFifoQueue(t *testing.T) {
	url := newFifoQueue(t, "fifo", map[string]string{"ContentBasedDeduplication": "true"})
	got := attributes(t, url, "FifoQueue", "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit")
	want := map[string]string{"FifoQueue": "true", "ContentBasedDeduplication": "true",
		"DeduplicationScope": "queue", "FifoThroughputLimit": "perQueue"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("attribute %s = %q, want %q", k, got[k], v)
		}
	}
	_, err := client.CreateQueue(&sqs.CreateQueueInput{QueueName: aws.String(uniqueName("nofifosuffix")),
		Attributes: aws.StringMap(map[string]string{"FifoQueue": "true"})})
	wantError(t, err, "InvalidParameterValue", 400)
}

func TestCreateQueueInvalidInput(t *testing.T) {
	_, err := client.CreateQueue(&sqs.CreateQueueInput{QueueName: aws.String("bad name!")})
	wantError(t, err, "InvalidParameterValue", 400)
	_, err = client.CreateQueue(&sqs.CreateQueueInput{QueueName: aws.String(strings.Repeat("q", 81))})
	wantError(t, err, "InvalidParameterValue", 400)
	_, err = client.CreateQueue(&sqs.CreateQueueInput{QueueName: aws.String(uniqueName("badattr")),
		Attributes: aws.StringMap(map[string]string{"VisibilityTimeout": "43201"})})
	wantError(t, err, "InvalidAttributeValue", 400)
	_, err = client.CreateQueue(&sqs.CreateQueueInput{QueueName: aws.String(uniqueName("badattr")),
		Attributes: aws.StringMap(map[string]string{"NoSuchAttribute": "1"})})
	wantError(t, err, sqs.ErrCodeInvalidAttributeName, 400)
}

func TestListQueuesPrefixAndPagination(t *testing.T) {
	prefix := uniqueName("list")
	var urls []string
	for i := 0; i < 5; i++ {
		out, err := client.CreateQueue(&sqs.CreateQueueInput{QueueName: aws.String(fmt.Sprintf("%s-%d", prefix, i))})
		if err != nil {
			t.Fatal(err)
		}
		urls = append(urls, *out.QueueUrl)
	}
	newQueue(t, "other", nil)

	all, err := client.ListQueues(&sqs.ListQueuesInput{QueueNamePrefix: aws.String(prefix)})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.StringValueSlice(all.QueueUrls); fmt.Sprint(sorted(got)) != fmt.Sprint(urls) {
		t.Fatalf("ListQueues with prefix: %v, want %v", got, urls)
	}
	if all.NextToken != nil {
		t.Errorf("NextToken without MaxResults: %q", *all.NextToken)
	}

	var pages [][]string
	err = client.ListQueuesPages(&sqs.ListQueuesInput{QueueNamePrefix: aws.String(prefix), MaxResults: aws.Int64(2)},
		func(page *sqs.ListQueuesOutput, last bool) bool {
			pages = append(pages, aws.StringValueSlice(page.QueueUrls))
			return true
		})
	if err != nil {
		t.Fatal(err)
	}
	var paged []string
	for _, p := range pages {
		if len(p) > 2 {
			t.Errorf("a page of %d with MaxResults 2", len(p))
		}
		paged = append(paged, p...)
	}
	if len(pages) != 3 || fmt.Sprint(sorted(paged)) != fmt.Sprint(urls) {
		t.Fatalf("pages %v, want the 5 queues in 3 pages", pages)
	}

	none, err := client.ListQueues(&sqs.ListQueuesInput{QueueNamePrefix: aws.String("nothing-starts-like-this")})
	if err != nil || len(none.QueueUrls) != 0 {
		t.Fatalf("ListQueues for an unused prefix: %v %v", none, err)
	}
	_, err = client.ListQueues(&sqs.ListQueuesInput{MaxResults: aws.Int64(1001)})
	wantError(t, err, "InvalidParameterValue", 400)
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

func TestSetQueueAttributes(t *testing.T) {
	url := newQueue(t, "setattr", nil)
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"*"}]}`
	_, err := client.SetQueueAttributes(&sqs.SetQueueAttributesInput{QueueUrl: aws.String(url),
		Attributes: aws.StringMap(map[string]string{"VisibilityTimeout": "120", "DelaySeconds": "5", "Policy": policy})})
	if err != nil {
		t.Fatal(err)
	}
	got := attributes(t, url, "VisibilityTimeout", "DelaySeconds", "Policy")
	if got["VisibilityTimeout"] != "120" || got["DelaySeconds"] != "5" {
		t.Errorf("after SetQueueAttributes: %v", got)
	}
	if !strings.Contains(got["Policy"], `"sqs:SendMessage"`) {
		t.Errorf("Policy %q", got["Policy"])
	}
	_, err = client.SetQueueAttributes(&sqs.SetQueueAttributesInput{QueueUrl: aws.String(url),
		Attributes: aws.StringMap(map[string]string{"DelaySeconds": "901"})})
	wantError(t, err, "InvalidAttributeValue", 400)
	_, err = client.SetQueueAttributes(&sqs.SetQueueAttributesInput{QueueUrl: aws.String(url),
		Attributes: aws.StringMap(map[string]string{"QueueArn": "arn:x"})})
	wantError(t, err, sqs.ErrCodeInvalidAttributeName, 400)
	_, err = client.GetQueueAttributes(&sqs.GetQueueAttributesInput{QueueUrl: aws.String(url),
		AttributeNames: aws.StringSlice([]string{"NotAnAttribute"})})
	wantError(t, err, sqs.ErrCodeInvalidAttributeName, 400)
}

func TestTagAndUntagQueue(t *testing.T) {
	url := newQueue(t, "tags", nil)
	_, err := client.TagQueue(&sqs.TagQueueInput{QueueUrl: aws.String(url),
		Tags: aws.StringMap(map[string]string{"a": "1", "b": "2", "c": ""})})
	if err != nil {
		t.Fatal(err)
	}
	_, err = client.UntagQueue(&sqs.UntagQueueInput{QueueUrl: aws.String(url), TagKeys: aws.StringSlice([]string{"b"})})
	if err != nil {
		t.Fatal(err)
	}
	out, err := client.ListQueueTags(&sqs.ListQueueTagsInput{QueueUrl: aws.String(url)})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.StringValueMap(out.Tags); fmt.Sprint(got) != "map[a:1 c:]" {
		t.Fatalf("tags after untag: %v", got)
	}
	empty, err := client.ListQueueTags(&sqs.ListQueueTagsInput{QueueUrl: aws.String(newQueue(t, "notags", nil))})
	if err != nil || len(empty.Tags) != 0 {
		t.Fatalf("ListQueueTags of an untagged queue: %v %v", empty, err)
	}
}

func TestAddAndRemovePermission(t *testing.T) {
	url := newQueue(t, "perm", nil)
	_, err := client.AddPermission(&sqs.AddPermissionInput{QueueUrl: aws.String(url), Label: aws.String("grant1"),
		AWSAccountIds: aws.StringSlice([]string{"111122223333", "444455556666"}),
		Actions:       aws.StringSlice([]string{"SendMessage", "ReceiveMessage"})})
	if err != nil {
		t.Fatal(err)
	}
	policy := attributes(t, url, "Policy")["Policy"]
	for _, want := range []string{`"grant1"`, "111122223333", "444455556666", "SQS:SendMessage", "SQS:ReceiveMessage"} {
		if !strings.Contains(policy, want) {
			t.Errorf("Policy %s lacks %s", policy, want)
		}
	}
	_, err = client.AddPermission(&sqs.AddPermissionInput{QueueUrl: aws.String(url), Label: aws.String("grant1"),
		AWSAccountIds: aws.StringSlice([]string{"111122223333"}), Actions: aws.StringSlice([]string{"DeleteMessage"})})
	wantError(t, err, "InvalidParameterValue", 400)
	_, err = client.RemovePermission(&sqs.RemovePermissionInput{QueueUrl: aws.String(url), Label: aws.String("grant1")})
	if err != nil {
		t.Fatal(err)
	}
	if policy := attributes(t, url, "Policy")["Policy"]; strings.Contains(policy, "grant1") {
		t.Errorf("Policy after RemovePermission: %s", policy)
	}
	_, err = client.RemovePermission(&sqs.RemovePermissionInput{QueueUrl: aws.String(url), Label: aws.String("grant1")})
	wantError(t, err, "InvalidParameterValue", 400)
}

func TestPurgeQueue(t *testing.T) {
	url := newQueue(t, "purge", nil)
	for i := 0; i < 3; i++ {
		send(t, url, fmt.Sprintf("m%d", i))
	}
	if _, err := client.PurgeQueue(&sqs.PurgeQueueInput{QueueUrl: aws.String(url)}); err != nil {
		t.Fatal(err)
	}
	if msgs := receive(t, url, sqs.ReceiveMessageInput{MaxNumberOfMessages: aws.Int64(10)}); len(msgs) != 0 {
		t.Fatalf("%d messages after purge", len(msgs))
	}
	_, err := client.PurgeQueue(&sqs.PurgeQueueInput{QueueUrl: aws.String(url)})
	wantError(t, err, sqs.ErrCodePurgeQueueInProgress, 403)
}

func TestDeleteQueue(t *testing.T) {
	name := uniqueName("del")
	out, err := client.CreateQueue(&sqs.CreateQueueInput{QueueName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.DeleteQueue(&sqs.DeleteQueueInput{QueueUrl: out.QueueUrl}); err != nil {
		t.Fatal(err)
	}
	_, err = client.GetQueueUrl(&sqs.GetQueueUrlInput{QueueName: aws.String(name)})
	wantError(t, err, sqs.ErrCodeQueueDoesNotExist, 400)
	_, err = client.DeleteQueue(&sqs.DeleteQueueInput{QueueUrl: out.QueueUrl})
	wantError(t, err, sqs.ErrCodeQueueDoesNotExist, 400)
}

// --- messages ---------------------------------------------------------------------------

func TestSendAndReceiveWithMessageAttributes(t *testing.T) {
	url := newQueue(t, "msg", nil)
	body := "héllo <world> & \"friends\"\r\n✓"
	attrs := map[string]*sqs.MessageAttributeValue{
		"city":   {DataType: aws.String("String"), StringValue: aws.String("Zürich & <Bern>")},
		"count":  {DataType: aws.String("Number"), StringValue: aws.String("-12.50")},
		"blob":   {DataType: aws.String("Binary"), BinaryValue: []byte{0, 1, 2, 0xfe, 0xff}},
		"custom": {DataType: aws.String("String.json"), StringValue: aws.String(`{"k":1}`)},
	}
	trace := map[string]*sqs.MessageSystemAttributeValue{
		"AWSTraceHeader": {DataType: aws.String("String"),
			StringValue: aws.String("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1")},
	}
	sent, err := client.SendMessage(&sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String(body),
		MessageAttributes: attrs, MessageSystemAttributes: trace})
	if err != nil {
		t.Fatal(err) // includes the SDK's own body MD5 check
	}
	if got, want := aws.StringValue(sent.MD5OfMessageAttributes), md5OfMessageAttributes(attrs); got != want {
		t.Errorf("MD5OfMessageAttributes %s, want %s", got, want)
	}
	if got, want := aws.StringValue(sent.MD5OfMessageSystemAttributes), md5OfSystemAttributes(trace); got != want {
		t.Errorf("MD5OfMessageSystemAttributes %s, want %s", got, want)
	}
	if sent.MessageId == nil || len(*sent.MessageId) != 36 {
		t.Errorf("MessageId %v", sent.MessageId)
	}

	msgs := receive(t, url, sqs.ReceiveMessageInput{AttributeNames: aws.StringSlice([]string{"All"}),
		MessageAttributeNames: aws.StringSlice([]string{"All"})})
	if len(msgs) != 1 {
		t.Fatalf("received %d messages", len(msgs))
	}
	m := msgs[0]
	if *m.Body != body || *m.MessageId != *sent.MessageId {
		t.Errorf("received body %q id %s", *m.Body, *m.MessageId)
	}
	if got, want := aws.StringValue(m.MD5OfMessageAttributes), md5OfMessageAttributes(attrs); got != want {
		t.Errorf("received MD5OfMessageAttributes %s, want %s", got, want)
	}
	if got := md5OfMessageAttributes(m.MessageAttributes); got != aws.StringValue(m.MD5OfMessageAttributes) {
		t.Errorf("received attributes digest to %s, the server says %s", got, aws.StringValue(m.MD5OfMessageAttributes))
	}
	if !bytes.Equal(m.MessageAttributes["blob"].BinaryValue, []byte{0, 1, 2, 0xfe, 0xff}) ||
		*m.MessageAttributes["city"].StringValue != "Zürich & <Bern>" ||
		*m.MessageAttributes["count"].DataType != "Number" || *m.MessageAttributes["custom"].DataType != "String.json" {
		t.Errorf("received message attributes %v", m.MessageAttributes)
	}
	sys := aws.StringValueMap(m.Attributes)
	if sys["ApproximateReceiveCount"] != "1" || sys["SenderId"] == "" || sys["AWSTraceHeader"] != *trace["AWSTraceHeader"].StringValue {
		t.Errorf("system attributes %v", sys)
	}
	for _, k := range []string{"SentTimestamp", "ApproximateFirstReceiveTimestamp"} {
		ms, err := strconv.ParseInt(sys[k], 10, 64)
		if err != nil || ms < time.Now().Add(-time.Hour).UnixMilli() || ms > time.Now().Add(time.Hour).UnixMilli() {
			t.Errorf("%s = %q is not epoch milliseconds of now", k, sys[k])
		}
	}
	if _, err := client.DeleteMessage(&sqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: m.ReceiptHandle}); err != nil {
		t.Fatal(err)
	}
	if n := attributes(t, url, "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"); n["ApproximateNumberOfMessages"] != "0" || n["ApproximateNumberOfMessagesNotVisible"] != "0" {
		t.Errorf("after delete: %v", n)
	}
}

func TestReceiveSelectsMessageAttributes(t *testing.T) {
	url := newQueue(t, "select", nil)
	attrs := map[string]*sqs.MessageAttributeValue{
		"keep.me":  {DataType: aws.String("String"), StringValue: aws.String("yes")},
		"keep.too": {DataType: aws.String("Number"), StringValue: aws.String("7")},
		"drop":     {DataType: aws.String("String"), StringValue: aws.String("no")},
	}
	if _, err := client.SendMessage(&sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String("x"),
		MessageAttributes: attrs}); err != nil {
		t.Fatal(err)
	}
	msgs := receive(t, url, sqs.ReceiveMessageInput{MessageAttributeNames: aws.StringSlice([]string{"keep.*"}),
		AttributeNames: aws.StringSlice([]string{"SentTimestamp"})})
	if len(msgs) != 1 {
		t.Fatalf("received %d", len(msgs))
	}
	m := msgs[0]
	if len(m.MessageAttributes) != 2 || m.MessageAttributes["drop"] != nil {
		t.Errorf("message attributes %v, want keep.me and keep.too", m.MessageAttributes)
	}
	if got := md5OfMessageAttributes(m.MessageAttributes); got != aws.StringValue(m.MD5OfMessageAttributes) {
		t.Errorf("MD5OfMessageAttributes %s, the returned ones digest to %s", aws.StringValue(m.MD5OfMessageAttributes), got)
	}
	if len(m.Attributes) != 1 || m.Attributes["SentTimestamp"] == nil {
		t.Errorf("system attributes %v, want only SentTimestamp", aws.StringValueMap(m.Attributes))
	}
}

func TestLongPollWakesOnSend(t *testing.T) {
	url := newQueue(t, "poll", nil)
	type result struct {
		msgs []*sqs.Message
		err  error
	}
	done := make(chan result, 1)
	go func() {
		out, err := client.ReceiveMessage(&sqs.ReceiveMessageInput{QueueUrl: aws.String(url), WaitTimeSeconds: aws.Int64(20)})
		r := result{err: err}
		if out != nil {
			r.msgs = out.Messages
		}
		done <- r
	}()
	// Give the poll a moment to park (no timeout is awaited: if it has not
	// parked yet it finds the message at once, and the test still holds).
	time.Sleep(300 * time.Millisecond)
	sentAt := time.Now()
	send(t, url, "wake")
	var r result
	select {
	case r = <-done:
	case <-time.After(15 * time.Second):
		t.Fatal("a 20 s long poll did not return within 15 s of a send")
	}
	if r.err != nil {
		t.Fatal(r.err)
	}
	if len(r.msgs) == 0 || *r.msgs[0].Body != "wake" {
		t.Fatalf("long poll returned %v", r.msgs)
	}
	if waited := time.Since(sentAt); waited > 5*time.Second {
		t.Errorf("long poll answered %v after the send", waited)
	}
	_, err := client.ReceiveMessage(&sqs.ReceiveMessageInput{QueueUrl: aws.String(url), WaitTimeSeconds: aws.Int64(21)})
	wantError(t, err, "InvalidParameterValue", 400)
}

func TestVisibilityTimeoutAndChangeMessageVisibility(t *testing.T) {
	url := newQueue(t, "vis", nil)
	send(t, url, "one")
	first := receive(t, url, sqs.ReceiveMessageInput{VisibilityTimeout: aws.Int64(300)})
	if len(first) != 1 {
		t.Fatalf("received %d", len(first))
	}
	if again := receive(t, url, sqs.ReceiveMessageInput{}); len(again) != 0 {
		t.Fatalf("an in-flight message was received again")
	}
	_, err := client.ChangeMessageVisibility(&sqs.ChangeMessageVisibilityInput{QueueUrl: aws.String(url),
		ReceiptHandle: first[0].ReceiptHandle, VisibilityTimeout: aws.Int64(0)})
	if err != nil {
		t.Fatal(err)
	}
	second := receive(t, url, sqs.ReceiveMessageInput{AttributeNames: aws.StringSlice([]string{"ApproximateReceiveCount"})})
	if len(second) != 1 || *second[0].Attributes["ApproximateReceiveCount"] != "2" {
		t.Fatalf("after visibility 0: %v", second)
	}
	_, err = client.ChangeMessageVisibility(&sqs.ChangeMessageVisibilityInput{QueueUrl: aws.String(url),
		ReceiptHandle: second[0].ReceiptHandle, VisibilityTimeout: aws.Int64(43201)})
	wantError(t, err, "InvalidParameterValue", 400)
	_, err = client.ChangeMessageVisibility(&sqs.ChangeMessageVisibilityInput{QueueUrl: aws.String(url),
		ReceiptHandle: aws.String("garbage"), VisibilityTimeout: aws.Int64(10)})
	wantError(t, err, sqs.ErrCodeReceiptHandleIsInvalid, 400)
}

func TestChangeMessageVisibilityBatchPartialFailure(t *testing.T) {
	url := newQueue(t, "visbatch", nil)
	send(t, url, "a")
	send(t, url, "b")
	msgs := receive(t, url, sqs.ReceiveMessageInput{MaxNumberOfMessages: aws.Int64(10), VisibilityTimeout: aws.Int64(300)})
	if len(msgs) != 2 {
		t.Fatalf("received %d", len(msgs))
	}
	out, err := client.ChangeMessageVisibilityBatch(&sqs.ChangeMessageVisibilityBatchInput{QueueUrl: aws.String(url),
		Entries: []*sqs.ChangeMessageVisibilityBatchRequestEntry{
			{Id: aws.String("ok1"), ReceiptHandle: msgs[0].ReceiptHandle, VisibilityTimeout: aws.Int64(0)},
			{Id: aws.String("ok2"), ReceiptHandle: msgs[1].ReceiptHandle, VisibilityTimeout: aws.Int64(0)},
			{Id: aws.String("bad"), ReceiptHandle: aws.String("not-a-handle"), VisibilityTimeout: aws.Int64(0)},
		}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Successful) != 2 || len(out.Failed) != 1 {
		t.Fatalf("successful %v failed %v", out.Successful, out.Failed)
	}
	f := out.Failed[0]
	if *f.Id != "bad" || *f.Code != sqs.ErrCodeReceiptHandleIsInvalid || !*f.SenderFault || aws.StringValue(f.Message) == "" {
		t.Errorf("failure entry %v", f)
	}
	if back := receive(t, url, sqs.ReceiveMessageInput{MaxNumberOfMessages: aws.Int64(10)}); len(back) != 2 {
		t.Errorf("%d messages visible again, want 2", len(back))
	}
}

func TestSendMessageBatchWithAttributesAndPartialFailure(t *testing.T) {
	url := newQueue(t, "sendbatch", nil)
	attrs := map[string]*sqs.MessageAttributeValue{
		"n": {DataType: aws.String("Number"), StringValue: aws.String("1")},
		"b": {DataType: aws.String("Binary"), BinaryValue: []byte("\x00bin")},
	}
	out, err := client.SendMessageBatch(&sqs.SendMessageBatchInput{QueueUrl: aws.String(url),
		Entries: []*sqs.SendMessageBatchRequestEntry{
			{Id: aws.String("first"), MessageBody: aws.String("body one"), MessageAttributes: attrs},
			{Id: aws.String("second"), MessageBody: aws.String("body two"), DelaySeconds: aws.Int64(0)},
			{Id: aws.String("bad_body"), MessageBody: aws.String("nul \x00 is not allowed")},
			{Id: aws.String("bad_delay"), MessageBody: aws.String("x"), DelaySeconds: aws.Int64(901)},
		}})
	if err != nil {
		t.Fatal(err) // includes the SDK's body MD5 check of each successful entry
	}
	if len(out.Successful) != 2 || len(out.Failed) != 2 {
		t.Fatalf("successful %v failed %v", out.Successful, out.Failed)
	}
	for _, s := range out.Successful {
		want := ""
		if *s.Id == "first" {
			want = md5OfMessageAttributes(attrs)
		}
		if aws.StringValue(s.MD5OfMessageAttributes) != want {
			t.Errorf("entry %s MD5OfMessageAttributes %q, want %q", *s.Id, aws.StringValue(s.MD5OfMessageAttributes), want)
		}
	}
	failed := map[string]*sqs.BatchResultErrorEntry{}
	for _, f := range out.Failed {
		failed[*f.Id] = f
		if !*f.SenderFault || aws.StringValue(f.Message) == "" {
			t.Errorf("failure entry %v", f)
		}
	}
	if f := failed["bad_body"]; f == nil || *f.Code != sqs.ErrCodeInvalidMessageContents {
		t.Errorf("bad_body: %v", f)
	}
	if f := failed["bad_delay"]; f == nil || *f.Code != "InvalidParameterValue" {
		t.Errorf("bad_delay: %v", f)
	}
	msgs := receive(t, url, sqs.ReceiveMessageInput{MaxNumberOfMessages: aws.Int64(10),
		MessageAttributeNames: aws.StringSlice([]string{"All"})})
	if len(msgs) != 2 {
		t.Fatalf("received %d, want the 2 good entries", len(msgs))
	}
}

func TestBatchRequestErrors(t *testing.T) {
	url := newQueue(t, "batcherr", nil)
	var eleven []*sqs.SendMessageBatchRequestEntry
	for i := 0; i < 11; i++ {
		eleven = append(eleven, &sqs.SendMessageBatchRequestEntry{Id: aws.String(fmt.Sprint("e", i)), MessageBody: aws.String("x")})
	}
	_, err := client.SendMessageBatch(&sqs.SendMessageBatchInput{QueueUrl: aws.String(url), Entries: eleven})
	wantError(t, err, sqs.ErrCodeTooManyEntriesInBatchRequest, 400)
	_, err = client.SendMessageBatch(&sqs.SendMessageBatchInput{QueueUrl: aws.String(url),
		Entries: []*sqs.SendMessageBatchRequestEntry{
			{Id: aws.String("same"), MessageBody: aws.String("1")}, {Id: aws.String("same"), MessageBody: aws.String("2")}}})
	wantError(t, err, sqs.ErrCodeBatchEntryIdsNotDistinct, 400)
	_, err = client.DeleteMessageBatch(&sqs.DeleteMessageBatchInput{QueueUrl: aws.String(url),
		Entries: []*sqs.DeleteMessageBatchRequestEntry{}})
	wantError(t, err, sqs.ErrCodeEmptyBatchRequest, 400)
	_, err = client.SendMessageBatch(&sqs.SendMessageBatchInput{QueueUrl: aws.String(url),
		Entries: []*sqs.SendMessageBatchRequestEntry{{Id: aws.String("bad id!"), MessageBody: aws.String("1")}}})
	wantError(t, err, sqs.ErrCodeInvalidBatchEntryId, 400)
	big := strings.Repeat("x", 600*1024) // two of them exceed the 1 MiB batch total
	_, err = client.SendMessageBatch(&sqs.SendMessageBatchInput{QueueUrl: aws.String(url),
		Entries: []*sqs.SendMessageBatchRequestEntry{
			{Id: aws.String("a"), MessageBody: aws.String(big)}, {Id: aws.String("b"), MessageBody: aws.String(big)}}})
	wantError(t, err, sqs.ErrCodeBatchRequestTooLong, 400)
}

func TestDeleteMessageAndBatchPartialFailure(t *testing.T) {
	url := newQueue(t, "delbatch", nil)
	for _, b := range []string{"a", "b", "c"} {
		send(t, url, b)
	}
	msgs := receive(t, url, sqs.ReceiveMessageInput{MaxNumberOfMessages: aws.Int64(10), VisibilityTimeout: aws.Int64(0)})
	if len(msgs) != 3 {
		t.Fatalf("received %d", len(msgs))
	}
	if _, err := client.DeleteMessage(&sqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: msgs[0].ReceiptHandle}); err != nil {
		t.Fatal(err)
	}
	out, err := client.DeleteMessageBatch(&sqs.DeleteMessageBatchInput{QueueUrl: aws.String(url),
		Entries: []*sqs.DeleteMessageBatchRequestEntry{
			{Id: aws.String("one"), ReceiptHandle: msgs[1].ReceiptHandle},
			{Id: aws.String("two"), ReceiptHandle: msgs[2].ReceiptHandle},
			{Id: aws.String("junk"), ReceiptHandle: aws.String("junk")},
		}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Successful) != 2 || len(out.Failed) != 1 || *out.Failed[0].Id != "junk" ||
		*out.Failed[0].Code != sqs.ErrCodeReceiptHandleIsInvalid {
		t.Fatalf("successful %v failed %v", out.Successful, out.Failed)
	}
	if left := receive(t, url, sqs.ReceiveMessageInput{MaxNumberOfMessages: aws.Int64(10)}); len(left) != 0 {
		t.Fatalf("%d messages left after deleting all", len(left))
	}
	_, err = client.DeleteMessage(&sqs.DeleteMessageInput{QueueUrl: aws.String(url), ReceiptHandle: aws.String("junk")})
	wantError(t, err, sqs.ErrCodeReceiptHandleIsInvalid, 400)
}

func TestMessageLimits(t *testing.T) {
	url := newQueue(t, "limits", map[string]string{"MaximumMessageSize": "1024"})
	_, err := client.SendMessage(&sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String(strings.Repeat("x", 1025))})
	wantError(t, err, "InvalidParameterValue", 400)
	_, err = client.SendMessage(&sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String("x"), DelaySeconds: aws.Int64(901)})
	wantError(t, err, "InvalidParameterValue", 400)
	_, err = client.SendMessage(&sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String("bad \x01 char")})
	wantError(t, err, sqs.ErrCodeInvalidMessageContents, 400)
	_, err = client.SendMessage(&sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String("x"),
		MessageAttributes: map[string]*sqs.MessageAttributeValue{"n": {DataType: aws.String("Number"), StringValue: aws.String("twelve")}}})
	wantError(t, err, "InvalidParameterValue", 400)
	_, err = client.ReceiveMessage(&sqs.ReceiveMessageInput{QueueUrl: aws.String(url), MaxNumberOfMessages: aws.Int64(11)})
	wantError(t, err, "InvalidParameterValue", 400)
}

// --- FIFO ----------------------------------------------------------------------------------

func TestFifoOrderingGroupsAndDeduplication(t *testing.T) {
	url := newFifoQueue(t, "order", nil)
	var ids []string
	var seqs []string
	for i := 0; i < 3; i++ {
		out, err := client.SendMessage(&sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String(fmt.Sprint("g1-", i)),
			MessageGroupId: aws.String("g1"), MessageDeduplicationId: aws.String(fmt.Sprint("d", i))})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, *out.MessageId)
		seqs = append(seqs, aws.StringValue(out.SequenceNumber))
	}
	for i := 1; i < len(seqs); i++ {
		if len(seqs[i]) == 0 || seqs[i] <= seqs[i-1] && len(seqs[i]) == len(seqs[i-1]) {
			t.Errorf("sequence numbers do not grow: %v", seqs)
		}
	}
	dup, err := client.SendMessage(&sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String("dup"),
		MessageGroupId: aws.String("g1"), MessageDeduplicationId: aws.String("d1")})
	if err != nil {
		t.Fatal(err)
	}
	if *dup.MessageId != ids[1] {
		t.Errorf("a duplicate got id %s, want the original %s", *dup.MessageId, ids[1])
	}
	if _, err := client.SendMessage(&sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String("g2-0"),
		MessageGroupId: aws.String("g2"), MessageDeduplicationId: aws.String("e0")}); err != nil {
		t.Fatal(err)
	}

	msgs := receive(t, url, sqs.ReceiveMessageInput{MaxNumberOfMessages: aws.Int64(10), VisibilityTimeout: aws.Int64(300),
		AttributeNames: aws.StringSlice([]string{"All"})})
	var bodies []string
	for _, m := range msgs {
		bodies = append(bodies, *m.Body)
	}
	if fmt.Sprint(bodies) != "[g1-0 g1-1 g1-2 g2-0]" {
		t.Fatalf("received %v, want each group in order and no duplicate", bodies)
	}
	a := aws.StringValueMap(msgs[0].Attributes)
	if a["MessageGroupId"] != "g1" || a["MessageDeduplicationId"] != "d0" || a["SequenceNumber"] != seqs[0] {
		t.Errorf("FIFO system attributes %v", a)
	}
	if again := receive(t, url, sqs.ReceiveMessageInput{}); len(again) != 0 {
		t.Errorf("received %v while every group is in flight", *again[0].Body)
	}

	_, err = client.SendMessage(&sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String("no group")})
	wantError(t, err, "MissingParameter", 400)
	_, err = client.SendMessage(&sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String("no dedup"),
		MessageGroupId: aws.String("g1")})
	wantError(t, err, "InvalidParameterValue", 400)
	_, err = client.SendMessage(&sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String("delayed"),
		MessageGroupId: aws.String("g1"), MessageDeduplicationId: aws.String("z"), DelaySeconds: aws.Int64(5)})
	wantError(t, err, "InvalidParameterValue", 400)
}

func TestFifoBatchAndContentBasedDeduplication(t *testing.T) {
	url := newFifoQueue(t, "cbd", map[string]string{"ContentBasedDeduplication": "true"})
	out, err := client.SendMessageBatch(&sqs.SendMessageBatchInput{QueueUrl: aws.String(url),
		Entries: []*sqs.SendMessageBatchRequestEntry{
			{Id: aws.String("a"), MessageBody: aws.String("same body"), MessageGroupId: aws.String("g")},
			{Id: aws.String("b"), MessageBody: aws.String("same body"), MessageGroupId: aws.String("g")},
			{Id: aws.String("c"), MessageBody: aws.String("other body"), MessageGroupId: aws.String("g")},
		}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Successful) != 3 {
		t.Fatalf("successful %v failed %v", out.Successful, out.Failed)
	}
	byID := map[string]*sqs.SendMessageBatchResultEntry{}
	for _, s := range out.Successful {
		byID[*s.Id] = s
		if aws.StringValue(s.SequenceNumber) == "" {
			t.Errorf("entry %s has no SequenceNumber", *s.Id)
		}
	}
	if *byID["a"].MessageId != *byID["b"].MessageId {
		t.Errorf("same body within the window was not deduplicated")
	}
	msgs := receive(t, url, sqs.ReceiveMessageInput{MaxNumberOfMessages: aws.Int64(10),
		ReceiveRequestAttemptId: aws.String("attempt-1")})
	if len(msgs) != 2 || *msgs[0].Body != "same body" || *msgs[1].Body != "other body" {
		t.Fatalf("received %v", msgs)
	}
	retry := receive(t, url, sqs.ReceiveMessageInput{MaxNumberOfMessages: aws.Int64(10),
		ReceiveRequestAttemptId: aws.String("attempt-1")})
	if len(retry) != 2 || *retry[0].ReceiptHandle != *msgs[0].ReceiptHandle {
		t.Errorf("a retried ReceiveRequestAttemptId did not return the same messages: %v", retry)
	}
}

// --- errors ---------------------------------------------------------------------------------

func TestNonExistentQueueForEveryQueueAction(t *testing.T) {
	missing := aws.String(strings.TrimSuffix(server.Endpoint, "/") + "/000000000000/" + uniqueName("missing"))
	handle := aws.String("handle")
	calls := map[string]func() error{
		"GetQueueUrl": func() error {
			_, err := client.GetQueueUrl(&sqs.GetQueueUrlInput{QueueName: aws.String(uniqueName("missing"))})
			return err
		},
		"GetQueueAttributes": func() error {
			_, err := client.GetQueueAttributes(&sqs.GetQueueAttributesInput{QueueUrl: missing})
			return err
		},
		"SetQueueAttributes": func() error {
			_, err := client.SetQueueAttributes(&sqs.SetQueueAttributesInput{QueueUrl: missing,
				Attributes: aws.StringMap(map[string]string{"DelaySeconds": "1"})})
			return err
		},
		"SendMessage": func() error {
			_, err := client.SendMessage(&sqs.SendMessageInput{QueueUrl: missing, MessageBody: aws.String("x")})
			return err
		},
		"SendMessageBatch": func() error {
			_, err := client.SendMessageBatch(&sqs.SendMessageBatchInput{QueueUrl: missing,
				Entries: []*sqs.SendMessageBatchRequestEntry{{Id: aws.String("a"), MessageBody: aws.String("x")}}})
			return err
		},
		"ReceiveMessage": func() error {
			_, err := client.ReceiveMessage(&sqs.ReceiveMessageInput{QueueUrl: missing})
			return err
		},
		"DeleteMessage": func() error {
			_, err := client.DeleteMessage(&sqs.DeleteMessageInput{QueueUrl: missing, ReceiptHandle: handle})
			return err
		},
		"DeleteMessageBatch": func() error {
			_, err := client.DeleteMessageBatch(&sqs.DeleteMessageBatchInput{QueueUrl: missing,
				Entries: []*sqs.DeleteMessageBatchRequestEntry{{Id: aws.String("a"), ReceiptHandle: handle}}})
			return err
		},
		"ChangeMessageVisibility": func() error {
			_, err := client.ChangeMessageVisibility(&sqs.ChangeMessageVisibilityInput{QueueUrl: missing,
				ReceiptHandle: handle, VisibilityTimeout: aws.Int64(1)})
			return err
		},
		"ChangeMessageVisibilityBatch": func() error {
			_, err := client.ChangeMessageVisibilityBatch(&sqs.ChangeMessageVisibilityBatchInput{QueueUrl: missing,
				Entries: []*sqs.ChangeMessageVisibilityBatchRequestEntry{{Id: aws.String("a"), ReceiptHandle: handle}}})
			return err
		},
		"PurgeQueue": func() error {
			_, err := client.PurgeQueue(&sqs.PurgeQueueInput{QueueUrl: missing})
			return err
		},
		"DeleteQueue": func() error {
			_, err := client.DeleteQueue(&sqs.DeleteQueueInput{QueueUrl: missing})
			return err
		},
		"TagQueue": func() error {
			_, err := client.TagQueue(&sqs.TagQueueInput{QueueUrl: missing, Tags: aws.StringMap(map[string]string{"a": "b"})})
			return err
		},
		"UntagQueue": func() error {
			_, err := client.UntagQueue(&sqs.UntagQueueInput{QueueUrl: missing, TagKeys: aws.StringSlice([]string{"a"})})
			return err
		},
		"ListQueueTags": func() error {
			_, err := client.ListQueueTags(&sqs.ListQueueTagsInput{QueueUrl: missing})
			return err
		},
		"AddPermission": func() error {
			_, err := client.AddPermission(&sqs.AddPermissionInput{QueueUrl: missing, Label: aws.String("l"),
				AWSAccountIds: aws.StringSlice([]string{"111122223333"}), Actions: aws.StringSlice([]string{"SendMessage"})})
			return err
		},
		"RemovePermission": func() error {
			_, err := client.RemovePermission(&sqs.RemovePermissionInput{QueueUrl: missing, Label: aws.String("l")})
			return err
		},
	}
	for name, call := range calls {
		call := call
		t.Run(name, func(t *testing.T) {
			failure := wantError(t, call(), sqs.ErrCodeQueueDoesNotExist, 400)
			if failure.Message() != "The specified queue does not exist for this wsdl version." {
				t.Errorf("message %q", failure.Message())
			}
		})
	}
}

func TestMissingRequiredParameterIsCaughtByTheServer(t *testing.T) {
	// The SDK validates required members itself; a request built without its
	// validation shows what the server answers.
	req, _ := client.SendMessageRequest(&sqs.SendMessageInput{QueueUrl: aws.String(newQueue(t, "req", nil))})
	req.Handlers.Validate.Clear()
	wantError(t, req.Send(), "MissingParameter", 400)
}
